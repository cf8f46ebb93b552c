package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.ProcessorJmx;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.stream.ForecastTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, scenario 5 (numerical health under a real broker): a configuration that diverges (SGD at learning
 * rate 1e3, no clipping, Elman cells with ReLU, so that both weights and recurrent states overflow) runs
 * S sensors' readings, a few of them NaN, through the processor JVM ({@code rnn-streams.jar run}) under
 * exactly_once_v2. Asserts:
 * <ul>
 *   <li>every double of every committed prediction (forecast, 3-step horizon, previous error, anomaly
 *       score) is finite;</li>
 *   <li>there is exactly one prediction per valid reading and one dead letter per NaN reading;</li>
 *   <li>the health guard was triggered: the processor's {@code restores-total} and
 *       {@code health-resets-total} (read over JMX from the running JVM, MBeans
 *       {@code kafka.streams:type=stream-rnn-streams-metrics,...}, summed over tasks) are both &gt; 0 and equal
 *       to what a TopologyTestDriver run of the same input counts, whose {@code restores-total} and
 *       {@code updates-total} equal the sums of the counters its stored models carry; the predictions are
 *       byte-identical to that run's (the determinism promise);</li>
 *   <li>negative control: the same input at learning rate 0.01 counts no restore and no health reset in the
 *       TopologyTestDriver, so it is the divergence that trips the guard.</li>
 * </ul>
 *
 * <p>CI size: 20 sensors x 1,000 readings (20,000). Full size: {@code -Ddivergence.readings=100000}
 * (the total, spread over {@code -Ddivergence.sensors}, default 20).
 */
@WithKafkaBroker
class DivergenceIT {
    static final int S = Integer.getInteger("divergence.sensors", 20);
    static final int TOTAL = Integer.getInteger("divergence.readings", 20_000);
    static final int R = TOTAL / S;
    /** Reading 250 of every 500 of every third sensor is NaN (a dead letter, not a prediction). */
    static final SensorFeed.Invalid NAN = (k, t) -> k % 3 == 0 && t % 500 == 250;
    private static final SingleObjectCodec<Prediction> PREDICTIONS = SingleObjectCodec.of(Prediction.class);

    @Test
    void divergingConfigurationNeverEmitsANonFiniteNumberAndCountsItsRestores(KafkaBroker broker) throws Exception {
        Path work = WorkDirs.create("divergence");
        String id = work.getFileName().toString();
        String input = id + "-readings";
        String predictionsTopic = id + "-predictions";
        String deadLetters = id + "-dead-letters";
        SensorFeed.createTopics(broker, input, predictionsTopic, deadLetters);
        long t0 = System.nanoTime();
        int invalid = SensorFeed.produce(broker.bootstrapServers(), input, S, 0, R, NAN);
        int valid = S * R - invalid;
        System.out.printf("DivergenceIT: %d sensors x %,d readings (%d NaN) produced in %.1f s%n", S, R, invalid,
                (System.nanoTime() - t0) / 1e9);

        Map<String, String> settings = SensorFeed.settings(id, broker.bootstrapServers(), work.resolve("state"),
                input, predictionsTopic, deadLetters);
        settings.putAll(diverging());
        settings.put("rnn.forecast.horizon", "3");

        int port = KafkaBroker.freePorts(1)[0];
        List<ConsumerRecord<byte[], byte[]>> committed;
        Map<String, Double> processorTotals = new LinkedHashMap<>();
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
        jvmOptions.addAll(ProcessorJmx.jvmOptions(port));
        try (ProcessorJvm jvm = ProcessorJvm.start(ProcessorJvm.locateJar(), settings, work, "run", jvmOptions)) {
            try (ProcessorJmx jmx = ProcessorJmx.connect(port, Duration.ofMinutes(2))) {
                committed = KafkaClients.awaitCommitted(broker.bootstrapServers(), predictionsTopic, valid,
                        Duration.ofMinutes(5));
                assertTrue(jvm.isAlive(), "the processor JVM exited with code " + jvm.exitCode() + "; logs "
                        + jvm.logs());
                for (String metric : List.of("readings-total", "predictions-total", "updates-total", "restores-total",
                        "health-resets-total", "dead-letters-non-finite-total")) {
                    ProcessorJmx.Sum sum = jmx.sum(DriverRun.GROUP, metric);
                    assertTrue(sum.mbeans() > 0, "no MBean kafka.streams:type=" + DriverRun.GROUP + ",*");
                    processorTotals.put(metric, sum.total());
                }
            } catch (Throwable e) {
                System.out.println("DivergenceIT failed; processor logs: " + jvm.logs());
                throw e;
            }
        }
        System.out.printf("DivergenceIT: %,d predictions committed %.1f s after the start; processor metrics over "
                + "JMX: %s%n", committed.size(), (System.nanoTime() - t0) / 1e9, processorTotals);

        // every double of every prediction is finite
        Map<String, List<byte[]>> actual = new HashMap<>();
        long doubles = 0;
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Prediction p = PREDICTIONS.decode(r.value());
            doubles += assertFinite(key, p);
            actual.computeIfAbsent(key, x -> new ArrayList<>()).add(r.value());
        }
        assertEquals(valid, committed.size(), "exactly one prediction per valid reading");
        assertEquals(invalid, KafkaClients.awaitCommitted(broker.bootstrapServers(), deadLetters, invalid,
                Duration.ofMinutes(1)).size(), "exactly one dead letter per NaN reading");

        // the same counts and bytes as an uninterrupted TopologyTestDriver run
        long[] stored = new long[2]; // updates and restores the models themselves recorded
        DriverRun.Result expected = DriverRun.run(AppConfig.of(settings), S, 0, R, NAN, work.resolve("ttd"), null,
                driver -> {
                    KeyValueStore<String, ModelState> models = driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
                    try (KeyValueIterator<String, ModelState> all = models.all()) {
                        while (all.hasNext()) {
                            ModelState m = all.next().value;
                            stored[0] += m.getUpdates();
                            stored[1] += m.getRestores();
                        }
                    }
                });
        assertEquals(valid, expected.predictionCount(), "test driver predictions");
        assertEquals(invalid, expected.deadLetters(), "test driver dead letters");
        double restores = expected.total("restores-total");
        double healthResets = expected.total("health-resets-total");
        assertEquals(stored[0], expected.total("updates-total"), "updates-total = updates the models recorded");
        assertEquals(stored[1], restores, "restores-total = restores the models recorded");
        assertTrue(restores > 0, "the configuration must really diverge: weight updates restored");
        assertTrue(healthResets > 0, "the configuration must really diverge: recurrent states reset");
        assertEquals(S * R, processorTotals.get("readings-total"), "readings counted by the processor");
        assertEquals(valid, processorTotals.get("predictions-total"), "predictions counted by the processor");
        assertEquals(invalid, processorTotals.get("dead-letters-non-finite-total"), "NaN dead letters counted");
        assertEquals(expected.total("updates-total"), processorTotals.get("updates-total"), "updates");
        assertEquals(restores, processorTotals.get("restores-total"), "restores: processor vs test driver");
        assertEquals(healthResets, processorTotals.get("health-resets-total"),
                "health resets: processor vs test driver");
        for (Map.Entry<String, List<byte[]>> e : expected.predictions().entrySet()) {
            List<byte[]> got = actual.get(e.getKey());
            assertEquals(e.getValue().size(), got == null ? 0 : got.size(), e.getKey());
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(e.getValue().get(i), got.get(i), e.getKey() + " prediction " + i);
            }
        }

        // negative control: a sane learning rate on the same input never trips the guard
        Map<String, String> sane = new LinkedHashMap<>(settings);
        sane.put("rnn.train.learning-rate", "0.01");
        DriverRun.Result control = DriverRun.run(AppConfig.of(sane), S, 0, R, NAN, work.resolve("ttd-control"), null);
        assertEquals(0.0, control.total("restores-total"), "learning rate 0.01: no restore");
        assertEquals(0.0, control.total("health-resets-total"), "learning rate 0.01: no health reset");

        System.out.printf("DivergenceIT: %,d predictions (%,d doubles) all finite, %d dead letters; restores %,.0f "
                        + "and health resets %,.0f (%,.0f trainings), equal to the TopologyTestDriver's, predictions "
                        + "byte-identical; learning rate 0.01: 0 and 0; total %.1f s%n", valid, doubles, invalid,
                restores, healthResets, restores + expected.total("updates-total"), (System.nanoTime() - t0) / 1e9);
    }

    /** The diverging configuration: SGD at learning rate 1e3, no clipping, Elman cells with ReLU. */
    static Map<String, String> diverging() {
        return Map.of(
                "rnn.learner", "rnn", // the plain RNN's own optimizer settings diverge (the hybrid ignores them)
                "rnn.model.scope", "key",
                "rnn.model.cell", "elman",
                "rnn.model.activation", "relu",
                "rnn.train.optimizer", "sgd",
                "rnn.train.learning-rate", "1e3",
                "rnn.train.clip-norm", "0",
                "rnn.train.clip-value", "0");
    }

    /** Fails unless every double of {@code p} is finite; returns how many doubles it checked. */
    private static long assertFinite(String key, Prediction p) {
        long n = 0;
        String where = key + " at " + p.getEventTime();
        n += assertFinite(p.getForecast(), where + " forecast");
        for (List<Double> step : p.getHorizon()) {
            n += assertFinite(step, where + " horizon");
        }
        if (p.getPreviousError() != null) {
            n += assertFinite(p.getPreviousError(), where + " previousError");
        }
        assertTrue(Double.isFinite(p.getAnomalyScore()), where + " anomalyScore " + p.getAnomalyScore());
        return n + 1;
    }

    private static long assertFinite(List<Double> values, String where) {
        for (double v : values) {
            assertTrue(Double.isFinite(v), where + " holds " + v);
        }
        return values.size();
    }
}

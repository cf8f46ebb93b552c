package io.rnnstreams.it;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.stream.ForecastTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The reference for the broker runs: the same topology and configuration in a TopologyTestDriver, fed the
 * {@link SensorFeed} readings in the same order, uninterrupted.
 */
final class DriverRun {
    /** The JMX type (metrics group) of the application's own sensors. */
    static final String GROUP = "stream-rnn-streams-metrics";

    /**
     * @param predictions the prediction values per key, in order
     * @param deadLetters how many dead letters
     * @param totals      every {@code *-total} metric of {@link #GROUP}, summed over tasks, by name
     */
    record Result(Map<String, List<byte[]>> predictions, int deadLetters, Map<String, Double> totals) {
        int predictionCount() {
            return predictions.values().stream().mapToInt(List::size).sum();
        }

        double total(String name) {
            Double v = totals.get(name);
            if (v == null) {
                throw new AssertionError("no metric " + name + " in group " + GROUP + "; have " + totals.keySet());
            }
            return v;
        }
    }

    private DriverRun() {
    }

    /**
     * Runs readings {@code fromT..toT-1} of {@code sensors} sensors through the topology; {@code seed}, if not
     * null, gets the driver before the first reading (e.g. to put state into its stores).
     */
    static Result run(AppConfig config, int sensors, int fromT, int toT, SensorFeed.Invalid invalid,
                      Path stateDir, Consumer<TopologyTestDriver> seed) throws Exception {
        return run(config, sensors, fromT, toT, invalid, stateDir, seed, null);
    }

    /** As above; {@code inspect}, if not null, gets the driver after the last reading (e.g. to read its stores). */
    static Result run(AppConfig config, int sensors, int fromT, int toT, SensorFeed.Invalid invalid,
                      Path stateDir, Consumer<TopologyTestDriver> seed, Consumer<TopologyTestDriver> inspect)
            throws Exception {
        StreamSettings settings = config.streamSettings();
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir).toString());
        Map<String, List<byte[]>> out = new HashMap<>();
        int dead = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(settings),
                ForecastTopology.streamsProperties(settings, props))) {
            if (seed != null) {
                seed.accept(driver);
            }
            String input = settings.inputTopics().get(0);
            TestInputTopic<String, byte[]> in = driver.createInputTopic(input, new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic(settings.predictionsTopic(),
                    new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> deadLetters = driver.createOutputTopic(settings.deadLetterTopic(),
                    new StringDeserializer(), new ByteArrayDeserializer());
            for (int t = fromT; t < toT; t++) {
                for (int k = 0; k < sensors; k++) {
                    in.pipeInput(SensorFeed.key(k), SensorFeed.value(k, t, invalid.test(k, t)), EndToEndIT.time(t));
                }
                for (TestRecord<String, byte[]> r : predictions.readRecordsToList()) {
                    out.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(r.value());
                }
                dead += deadLetters.readRecordsToList().size();
            }
            if (inspect != null) {
                inspect.accept(driver);
            }
            Map<String, Double> totals = new HashMap<>();
            for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
                MetricName name = e.getKey();
                if (name.group().equals(GROUP) && name.name().endsWith("-total")) {
                    totals.merge(name.name(), ((Number) e.getValue().metricValue()).doubleValue(), Double::sum);
                }
            }
            return new Result(out, dead, totals);
        }
    }
}

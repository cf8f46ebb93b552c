package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.LearnerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-reading sensors of {@link ProcessorMetrics} ({@code readings}, {@code predictions}: {@code -total} and
 * {@code -rate}; {@code prequential-mse-avg} and {@code -max}) read from the topology's metrics registry equal what
 * sensors of the same stats give when each reading is recorded at the wall-clock time it was processed: a reference
 * built here from Kafka's {@link Metrics} on a clock that follows the driver's. The readings span more than the
 * metrics' two 30 s windows, so a count recorded at another time (or not at all, or twice) moves the rates. The
 * driver commits after every record, and every commit records what was counted since the last ({@link
 * ProcessorMetrics#flush}); between commits the counts wait for the next commit, the next second's punctuation or the
 * task's close (driven on a {@link MockProcessorContext}, branch tput18m).
 */
class ProcessorMetricsTest {
    private static final int K = 3;
    private static final int N = 60;
    /** Wall-clock time between two rounds of readings (one per key). */
    private static final long STEP_MS = 1_700;

    @TempDir
    Path stateDir;

    /** The test fixture's plain RNN with its inputs not normalised: each error's scale is 1. */
    private static StreamSettings settings() {
        LearnerConfig learner = TopologyFixture.learner().toBuilder().normaliseInputs(false).build();
        return new StreamSettings(List.of(TopologyFixture.INPUT), null, TopologyFixture.PREDICTIONS,
                TopologyFixture.DLQ, ModelScope.SHARED, learner, 1, Duration.ofHours(1), 3.0, Duration.ofDays(1),
                Duration.ofHours(1), 1e12, io.rnnstreams.eval.detection.DetectorConfig.DEFAULTS, 100, null);
    }

    /** A clock moved by hand: the reference's, kept at the driver's wall-clock time. */
    private static final class ManualTime implements Time {
        private long ms;

        ManualTime(long ms) {
            this.ms = ms;
        }

        @Override
        public long milliseconds() {
            return ms;
        }

        @Override
        public long nanoseconds() {
            return ms * 1_000_000L;
        }

        @Override
        public void sleep(long millis) {
            ms += millis;
        }

        @Override
        public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
            throw new UnsupportedOperationException();
        }
    }

    private static double metric(TopologyTestDriver driver, String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals(ProcessorMetrics.GROUP))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static double value(Metrics metrics, String name) {
        return ((Number) metrics.metrics().get(metrics.metricName(name, "reference")).metricValue()).doubleValue();
    }

    /** A counter as {@code StreamsMetrics#addRateTotalSensor} makes it: a windowed-count rate and a total. */
    private static Sensor counter(Metrics metrics, String name) {
        Sensor sensor = metrics.sensor(name);
        sensor.add(metrics.metricName(name + "-rate", "reference"), new Rate(TimeUnit.SECONDS, new WindowedCount()));
        sensor.add(metrics.metricName(name + "-total", "reference"), new CumulativeCount());
        return sensor;
    }

    @Test
    void perReadingSensorsAreRecordedAtTheReadingsWallClockTime() {
        Instant start = Instant.parse("2026-12-07T20:00:00Z");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rnn-streams-metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        StreamSettings settings = settings();
        ManualTime clock = new ManualTime(start.toEpochMilli());
        // Kafka Streams' default metric configuration: 2 samples of 30 s
        try (Metrics reference = new Metrics(new MetricConfig().samples(2).timeWindow(30, TimeUnit.SECONDS), clock);
             TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(settings,
                     ProcessorMetrics.NO_METER_REGISTRY, InitialModels.of(settings)),
                     ForecastTopology.streamsProperties(settings, props), start)) {
            Sensor readings = counter(reference, "readings");
            Sensor predictions = counter(reference, "predictions");
            Sensor mse = reference.sensor("mse");
            mse.add(reference.metricName("mse-avg", "reference"), new Avg());
            mse.add(reference.metricName("mse-max", "reference"), new Max());
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TopologyFixture.INPUT,
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> out = driver.createOutputTopic(TopologyFixture.PREDICTIONS,
                    new StringDeserializer(), new ByteArrayDeserializer());
            int checked = 0;
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    long eventTime = time(t);
                    input.pipeInput(TopologyFixture.key("sensor-" + k), TopologyFixture.encode(eventTime,
                            reading(k, t)), eventTime);
                    readings.record(1.0, clock.milliseconds());
                    if (t % 7 == 3 && k == 1) {
                        // out of order: a reading (dead-lettered) but no prediction
                        input.pipeInput(TopologyFixture.key("sensor-" + k), TopologyFixture.encode(eventTime,
                                reading(k, t)), eventTime);
                        readings.record(1.0, clock.milliseconds());
                    }
                    for (TestRecord<String, byte[]> r : out.readRecordsToList()) {
                        Prediction p = TopologyFixture.decode(r.value());
                        predictions.record(1.0, clock.milliseconds());
                        List<Double> error = p.getPreviousError();
                        if (error != null) {
                            // the processor's sum in its order, each error over its scale (1 here)
                            double scaledSquared = 0.0;
                            for (double e : error) {
                                double z = e / 1.0;
                                scaledSquared += z * z;
                            }
                            mse.record(scaledSquared / error.size(), clock.milliseconds());
                        }
                    }
                }
                driver.advanceWallClockTime(Duration.ofMillis(STEP_MS));
                clock.sleep(STEP_MS);
                if (t % 10 == 9) {
                    assertSame(driver, reference, "after round " + t);
                    checked++;
                }
            }
            assertEquals(N / 10, checked);
            assertEquals((double) K * N + N / 7 + (N % 7 > 3 ? 1 : 0), metric(driver, "readings-total"), 0.0);
            assertEquals((double) K * N, metric(driver, "predictions-total"), 0.0);
            // the readings span more than the two 30 s windows: the rates are of the recent ones, not count / span
            assertNotEquals(metric(driver, "readings-total") / (N * STEP_MS / 1000.0),
                    metric(driver, "readings-rate"), 1e-6);
        }
    }

    private static void assertSame(TopologyTestDriver driver, Metrics reference, String when) {
        for (String counter : new String[] {"readings", "predictions"}) {
            assertEquals(value(reference, counter + "-total"), metric(driver, counter + "-total"), 0.0,
                    counter + "-total " + when);
            assertEquals(value(reference, counter + "-rate"), metric(driver, counter + "-rate"), 1e-12,
                    counter + "-rate " + when);
        }
        assertEquals(value(reference, "mse-avg"), metric(driver, "prequential-mse-avg"), 1e-12,
                "prequential-mse-avg " + when);
        assertEquals(value(reference, "mse-max"), metric(driver, "prequential-mse-max"), 0.0,
                "prequential-mse-max " + when);
    }

    /** Kafka's {@code addRateTotalSensor} names, tags and describes the batched counters as it does its own. */
    @Test
    void theBatchedCountersCarryKafkasNamesTagsAndDescriptions() {
        MockProcessorContext<String, Object> ours = new MockProcessorContext<>();
        MockProcessorContext<String, Object> kafkas = new MockProcessorContext<>();
        new ProcessorMetrics(ours.metrics(), "0_3", ProcessorMetrics.NO_METER_REGISTRY);
        int compared = 0;
        for (String operation : new String[] {"readings", "predictions", "updates", "restores"}) {
            kafkas.metrics().addRateTotalSensor(ProcessorMetrics.SCOPE, "0_3", operation, Sensor.RecordingLevel.INFO);
            for (String name : new String[] {operation + "-rate", operation + "-total"}) {
                MetricName expected = named(kafkas.metrics().metrics(), name);
                MetricName actual = named(ours.metrics().metrics(), name);
                assertEquals(expected, actual, name); // name, group and tags
                assertEquals(expected.description(), actual.description(), name);
                compared++;
            }
        }
        assertEquals(8, compared);
    }

    private static MetricName named(Map<MetricName, ? extends Metric> metrics, String name) {
        List<MetricName> found = metrics.keySet().stream().filter(m -> m.name().equals(name)).toList();
        assertEquals(1, found.size(), name + ": " + found);
        return found.get(0);
    }

    /**
     * Between commits: the counts wait (nothing recorded after 30 readings), and each flush (the per-second
     * punctuator, a commit, the close) records them at the wall-clock time of the batch's last reading, giving the
     * {@code -total}, {@code -rate}, {@code -avg} and {@code -max} that recording each reading at that time gives
     * (a reference of Kafka's own stats: {@code Avg} over single readings, not over the batches' means). Failed on
     * planted bugs: the close not flushing (the last batch lost), the average of the batches' sums over their count
     * (weight 1), no flush at the commit.
     */
    @Test
    void countsWaitForTheFlushAndGiveWhatPerReadingRecordingGives() {
        MockContextTask task = new MockContextTask(settings(), stateDir);
        Map<MetricName, ? extends Metric> registered = task.context.metrics().metrics();
        Map<String, KafkaMetric> ours = new java.util.HashMap<>();
        for (String name : new String[] {"readings-total", "readings-rate", "predictions-total", "predictions-rate",
            "prequential-mse-avg", "prequential-mse-max"}) {
            ours.put(name, (KafkaMetric) registered.get(named(registered, name)));
        }
        MockProcessorContext.CapturedPunctuator everySecond = task.context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME
                        && p.getInterval().equals(ForecastProcessor.METRICS_FLUSH_INTERVAL))
                .findFirst().orElseThrow();
        ManualTime clock = new ManualTime(0);
        try (Metrics reference = new Metrics(new MetricConfig(), clock)) {
            Sensor readings = counter(reference, "readings");
            Sensor predictions = counter(reference, "predictions");
            Sensor mse = reference.sensor("mse");
            mse.add(reference.metricName("mse-avg", "reference"), new Avg());
            mse.add(reference.metricName("mse-max", "reference"), new Max());
            long wall = time(100);
            int t = 0;
            int forwarded = 0;
            for (String flushBy : new String[] {"punctuator", "commit", "close"}) {
                List<Double> errors = new ArrayList<>();
                int sent = 0;
                for (int round = 0; round < 10; round++, t++) {
                    for (int k = 0; k < K; k++) {
                        wall += 250;
                        task.context.setCurrentSystemTimeMs(wall);
                        task.send("sensor-" + k, k, t);
                        sent++;
                    }
                }
                List<MockProcessorContext.CapturedForward<? extends String, ?>> out = task.context.forwarded();
                for (MockProcessorContext.CapturedForward<? extends String, ?> f : out.subList(forwarded, out.size())) {
                    List<Double> error = ((Prediction) f.record().value()).getPreviousError();
                    if (error != null) {
                        double scaledSquared = 0.0;
                        for (double e : error) {
                            double z = e / 1.0;
                            scaledSquared += z * z;
                        }
                        errors.add(scaledSquared / error.size());
                    }
                }
                assertEquals(sent, out.size() - forwarded, "a prediction per reading");
                forwarded = out.size();
                if (flushBy.equals("punctuator")) {
                    assertEquals(0.0, measure(ours.get("readings-total"), wall), 0.0, "nothing recorded before a flush");
                    everySecond.getPunctuator().punctuate(wall + 700);
                } else if (flushBy.equals("commit")) {
                    task.flush();
                } else {
                    task.processor.close();
                }
                // the reference: each reading recorded alone, at the batch's last reading's wall-clock time
                for (int i = 0; i < sent; i++) {
                    readings.record(1.0, wall);
                    predictions.record(1.0, wall);
                }
                for (double e : errors) {
                    mse.record(e, wall);
                }
                for (long at : new long[] {wall, wall + 900, wall + 25_000}) {
                    String when = "after the " + flushBy + "'s flush, read at +" + (at - wall) + " ms";
                    for (String counter : new String[] {"readings", "predictions"}) {
                        assertEquals(measure(reference, counter + "-total", at), measure(ours.get(counter + "-total"),
                                at), 0.0, counter + "-total " + when);
                        assertEquals(measure(reference, counter + "-rate", at), measure(ours.get(counter + "-rate"),
                                at), 1e-12, counter + "-rate " + when);
                    }
                    assertEquals(measure(reference, "mse-avg", at), measure(ours.get("prequential-mse-avg"), at),
                            1e-12, "prequential-mse-avg " + when);
                    assertEquals(measure(reference, "mse-max", at), measure(ours.get("prequential-mse-max"), at),
                            0.0, "prequential-mse-max " + when);
                }
            }
            assertEquals(3.0 * 10 * K, measure(ours.get("readings-total"), wall), 0.0);
        }
    }

    private static double measure(KafkaMetric metric, long now) {
        return ((Measurable) metric.measurable()).measure(metric.config(), now);
    }

    private static double measure(Metrics metrics, String name, long now) {
        return measure(metrics.metrics().get(metrics.metricName(name, "reference")), now);
    }
}

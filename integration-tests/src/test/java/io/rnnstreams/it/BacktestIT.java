package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.backtest.Anomaly;
import io.rnnstreams.backtest.Backtest;
import io.rnnstreams.backtest.BacktestException;
import io.rnnstreams.backtest.BacktestOptions;
import io.rnnstreams.backtest.BacktestPlots;
import io.rnnstreams.backtest.BacktestReport;
import io.rnnstreams.backtest.LabelWindows;
import io.rnnstreams.backtest.SensorResult;
import io.rnnstreams.cli.Main;
import io.rnnstreams.config.AppConfig;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest against a real broker, with the default model settings: 5 sensors x 600 readings of a noisy
 * sine (period 20 readings, noise 5% of the amplitude, amplitude 1 + k for sensor-k, one reading a second),
 * on a topic with 2 partitions, with
 * <ul>
 *   <li>one spike of +10 amplitudes in sensor-2 at reading 450: the largest error of its sensor, flagged
 *       by the anomaly score's point component;</li>
 *   <li>a burst of 5 readings at +3 amplitudes in sensor-4 at readings 540..544, which the score flags.</li>
 * </ul>
 * The RNN beats persistence (MASE < 1) on every sensor but sensor-4, whose burst derails it for a while,
 * and overall; the AR(8) baseline beats it on these clean sines.
 */
@WithKafkaBroker
class BacktestIT {
    static final int SENSORS = 5;
    static final int READINGS = 600;
    static final int PERIOD = 20;
    static final String SPIKED = "sensor-2";
    static final int SPIKE_AT = 450;
    static final String BURST = "sensor-4";
    static final int BURST_AT = 540;
    static final int BURST_LENGTH = 5;
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final SingleObjectCodec<SensorReading> CODEC = SingleObjectCodec.of(SensorReading.class);

    static double value(int k, int t, Random noise) {
        double amplitude = 1 + k;
        double v = amplitude * Math.sin(2 * Math.PI * t / PERIOD + k) + 0.05 * amplitude * noise.nextGaussian();
        if (("sensor-" + k).equals(SPIKED) && t == SPIKE_AT) {
            v += 10 * amplitude;
        }
        if (("sensor-" + k).equals(BURST) && t >= BURST_AT && t < BURST_AT + BURST_LENGTH) {
            v += 3 * amplitude;
        }
        return v;
    }

    static Instant time(int t) {
        return START.plusSeconds(t);
    }

    static void produce(String bootstrap, String topic) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        Random[] noise = new Random[SENSORS];
        for (int k = 0; k < SENSORS; k++) {
            noise[k] = new Random(100 + k);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int t = 0; t < READINGS; t++) {
                for (int k = 0; k < SENSORS; k++) {
                    SensorReading reading = SensorReading.newBuilder().setEventTime(time(t))
                            .setValues(List.of(value(k, t, noise[k]))).setTags(Map.of()).build();
                    sent.add(producer.send(new ProducerRecord<>(topic, "sensor-" + k, CODEC.encode(reading))));
                }
            }
            producer.flush();
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void backtestOfFiveNoisySines(KafkaBroker broker, @TempDir Path dir) throws Exception {
        String topic = "backtest-sines";
        broker.createTopics(Map.of(topic, 2));
        produce(broker.bootstrapServers(), topic);

        AppConfig config = AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers()));
        Path charts = dir.resolve("charts");
        BacktestOptions options = BacktestOptions.of(topic).withPlots(charts, List.of())
                .withTimeout(Duration.ofMinutes(5));
        long t0 = System.nanoTime();
        BacktestReport report = Backtest.run(config, options);
        System.out.printf("Backtest of %d records took %.1f s%n", SENSORS * READINGS, (System.nanoTime() - t0) / 1e9);
        System.out.println(report.table());

        assertEquals(SENSORS * READINGS, report.inputRecords());
        assertEquals(0, report.skippedRecords());
        assertEquals(0, report.unmatchedPredictions());
        assertEquals(0.0, report.maxPairingDiscrepancy(), "previousError = actual - previous forecast, exactly");
        assertEquals(List.of("sensor-0", "sensor-1", "sensor-2", "sensor-3", "sensor-4"),
                report.sensors().stream().map(SensorResult::sensor).toList());
        for (SensorResult s : report.sensors()) {
            assertEquals(READINGS - 1, s.rnn().readings(), s.sensor());
            assertEquals(READINGS - 1, s.ar().readings(), s.sensor());
            assertTrue(Double.isFinite(s.ar().mae()) && Double.isFinite(s.ar().rmse()) && s.ar().mase() > 0,
                    s.sensor() + " AR figures");
            if (!s.sensor().equals(BURST)) {
                assertTrue(s.rnn().mase() < 1, s.sensor() + ": the RNN beats persistence, MASE " + s.rnn().mase());
            } // the burst derails the RNN for a while
            assertTrue(Double.isFinite(s.rnn().mase()), s.sensor());
        }
        assertEquals(SENSORS * (READINGS - 1), report.rnnOverall().readings());
        assertTrue(report.rnnOverall().mase() < 1, "overall RNN MASE " + report.rnnOverall().mase());

        // the burst is flagged
        List<Anomaly> burst = report.anomalies().stream().filter(a -> a.sensor().equals(BURST)).toList();
        assertTrue(burst.stream().anyMatch(a -> a.eventTime() >= time(BURST_AT).toEpochMilli()
                && a.eventTime() < time(BURST_AT + BURST_LENGTH).toEpochMilli()), "burst flagged: " + burst);
        assertTrue(report.table().contains("  " + BURST + ": " + burst.size()), report.table());
        // the spike: the largest error of its sensor, and flagged
        SensorResult spiked = report.sensor(SPIKED).orElseThrow();
        int spikeIndex = index(spiked, time(SPIKE_AT));
        double spikeScore = spiked.series().anomalyScores()[spikeIndex];
        System.out.printf("%s spike at %s: RNN error %.3f, anomaly score %.6f%n", SPIKED, time(SPIKE_AT),
                spiked.series().previousErrors()[spikeIndex][0], spikeScore);
        assertEquals(spikeIndex, largestError(spiked), "the spike is the largest RNN error of " + SPIKED);
        assertTrue(spikeScore >= report.anomalyThreshold(), "the spike is flagged, score " + spikeScore);
        assertTrue(report.anomalies().stream().anyMatch(a -> a.sensor().equals(SPIKED)
                && a.eventTime() == time(SPIKE_AT).toEpochMilli()), "the spike is among the anomalies");

        assertEquals(9, report.plots().size(), "the first 3 sensors, three charts each");
        for (String sensor : List.of("sensor-0", "sensor-1", "sensor-2")) {
            for (String kind : List.of("forecast", "error", "anomaly")) {
                assertPng(charts.resolve(sensor + "-" + kind + ".png"));
                assertTrue(report.plots().contains(charts.resolve(sensor + "-" + kind + ".png")));
            }
        }
        assertCleanedUp(broker);
    }

    /**
     * Issue 14: with {@code rnn.forecast.mode=seq2seq} (N = 4) and {@code rnn.smoothing.lag=3} the backtest reports the
     * predictions' horizon-wise MASE beside persistence and AR iterated, and reads the lagged outputs back from
     * {@code <output>-lagged} (created; never the configured lagged topic): one per reading but each sensor's last
     * L, scored against the labels beside the online score, and the stream's lagged alarms ({@code
     * LaggedOutput.anomaly}) as rows of their own.
     */
    @Test
    void seq2seqHorizonsAndTheLaggedScoreAppearInTheBacktest(KafkaBroker broker) throws Exception {
        String topic = "backtest-seq2seq";
        int n = 4;
        int lag = 3;
        broker.createTopics(Map.of(topic, 2));
        produce(broker.bootstrapServers(), topic);
        AppConfig config = AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers(), "rnn.learner", "rnn",
                "rnn.model.scope", "key", "rnn.forecast.mode", "seq2seq", "rnn.forecast.horizon", Integer.toString(n),
                "rnn.smoothing.lag", Integer.toString(lag)));
        LabelWindows labels = LabelWindows.of(Map.of(
                BURST, List.of(new LabelWindows.Window(time(BURST_AT).toEpochMilli(),
                        time(BURST_AT + BURST_LENGTH - 1).toEpochMilli())),
                SPIKED, List.of(new LabelWindows.Window(time(SPIKE_AT).toEpochMilli(), time(SPIKE_AT).toEpochMilli()))));
        BacktestOptions options = BacktestOptions.of(topic).withLabels(labels).withTimeout(Duration.ofMinutes(5));
        BacktestReport report = Backtest.run(config, options);
        System.out.println(report.table());

        assertEquals(SENSORS * READINGS, report.inputRecords());
        assertEquals(0, report.unmatchedPredictions());
        // the application's MASE at h = N, recomputed here from the series the report paired
        double sum = 0;
        for (SensorResult s : report.sensors()) {
            double[][][] horizons = s.series().horizons();
            double error = 0;
            double naive = 0;
            for (int t = 0; t < s.series().size(); t++) {
                assertEquals(n, horizons[t].length, s.sensor() + " reading " + t + " carries the decoder's N steps");
                if (t >= n) {
                    error += Math.abs(s.series().actuals()[t][0] - horizons[t - n][n - 1][0]);
                    naive += Math.abs(s.series().actuals()[t][0] - s.series().actuals()[t - 1][0]);
                }
            }
            sum += error / naive;
        }
        String atN = String.format(java.util.Locale.ROOT, "| %d | %.3f |", n, sum / SENSORS);
        assertTrue(report.table().contains("MASE by horizon of the predictions' " + n + "-step forecasts"),
                report.table());
        assertTrue(report.table().contains(atN), atN + " in\n" + report.table());

        String lagged = options.outputTopic() + "-lagged";
        var records = io.rnnstreams.it.broker.KafkaClients.awaitCommitted(broker.bootstrapServers(), lagged,
                SENSORS * (READINGS - lag), Duration.ofMinutes(1));
        assertEquals(SENSORS * (READINGS - lag), records.size(), "one lagged output per reading but the last L");
        assertTrue(report.table().contains("Lagged outputs (rnn.smoothing.lag = " + lag + "): "
                + SENSORS * (READINGS - lag) + " readings judged"), report.table());
        assertTrue(report.table().contains("the lagged score, at the reading that completed it (" + lag + " late)"),
                report.table());
        assertTrue(report.table().contains("the lagged score in hindsight (at the judged reading)"), report.table());
        // the stream's own lagged alarms (LaggedOutput.anomaly), not recomputed from the scores (branch lag14j)
        assertTrue(report.table().contains("| the lagged alarms (LaggedOutput.anomaly), at the reading that completed "
                + "it |"), report.table());
        assertTrue(report.table().contains("| the lagged alarms in hindsight (at the judged reading) |"),
                report.table());
        try (Admin admin = broker.admin()) {
            assertTrue(!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("predictions-lagged"),
                    "nothing went to the configured lagged topic");
        }
        assertCleanedUp(broker);
    }

    /**
     * Issue 12 item 7: one partition holding a sensor whose readings are from 2016 interleaved with one from 2024
     * (an old series replayed after a newer one). Two backtests of that topic give byte-identical predictions,
     * and the old sensor keeps its state throughout: its last prediction has learned every one of its readings
     * (idle removal measured in stream time deleted it at every idle scan, every 60 readings).
     */
    @Test
    void twoBacktestsOfAMixedTimeTopicAreByteIdenticalAndNoSensorLosesItsState(KafkaBroker broker)
            throws Exception {
        String topic = "backtest-mixed-time";
        int n = 200;
        broker.createTopics(Map.of(topic, 1));
        Instant oldStart = Instant.parse("2016-01-01T00:00:00Z");
        Instant newStart = Instant.parse("2024-01-01T00:00:00Z");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int t = 0; t < n; t++) {
                for (String sensor : List.of("new", "old")) {
                    Instant at = (sensor.equals("new") ? newStart : oldStart).plusSeconds(60L * t);
                    SensorReading reading = SensorReading.newBuilder().setEventTime(at)
                            .setValues(List.of(Math.sin(t * 0.3) + (sensor.equals("new") ? 5 : 0)))
                            .setTags(Map.of()).build();
                    producer.send(new ProducerRecord<>(topic, sensor, CODEC.encode(reading))).get();
                }
            }
        }
        AppConfig config = AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers()));
        List<List<byte[]>> runs = new ArrayList<>();
        for (String output : List.of(topic + "-run-1", topic + "-run-2")) {
            BacktestReport report = Backtest.run(config, BacktestOptions.of(topic).withOutputTopic(output)
                    .withTimeout(Duration.ofMinutes(5)));
            assertEquals(2 * n, report.inputRecords());
            var records = io.rnnstreams.it.broker.KafkaClients.awaitCommitted(broker.bootstrapServers(), output,
                    2 * n, Duration.ofMinutes(1));
            assertEquals(2 * n, records.size(), output);
            List<byte[]> values = new ArrayList<>();
            long oldLearned = -1;
            for (var r : records) {
                values.add(r.value());
                if (new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).equals("old")) {
                    oldLearned = SingleObjectCodec.of(io.rnnstreams.avro.Prediction.class).decode(r.value())
                            .getReadingsLearned();
                }
            }
            assertEquals(n, oldLearned, output + ": readings learned by the old sensor at its last prediction");
            runs.add(values);
        }
        for (int i = 0; i < 2 * n; i++) {
            assertTrue(Arrays.equals(runs.get(0).get(i), runs.get(1).get(i)), "prediction " + i + " differs");
        }
    }

    @Test
    void commandLine(KafkaBroker broker, @TempDir Path dir) throws Exception {
        String topic = "backtest-cli";
        broker.createTopics(Map.of(topic, 2));
        produce(broker.bootstrapServers(), topic);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Main(c -> 0, Map.of()).execute(new PrintWriter(out), new PrintWriter(err), "backtest",
                "--set", "bootstrap.servers=" + broker.bootstrapServers(), "--input-topic", topic,
                "--plot", dir.toString(), "--plot-sensors", BURST, "--anomaly-threshold", "0.995",
                "--timeout", "5m");
        System.out.println(out);
        assertEquals(0, code, err.toString());
        String table = out.toString();
        for (int k = 0; k < SENSORS; k++) {
            assertTrue(table.contains("\nsensor-" + k + " "), table);
        }
        assertTrue(table.contains("\noverall "), table);
        assertTrue(table.contains("Anomalies (anomalyScore >= 0.9950)"), table);
        assertPng(dir.resolve(BURST + "-forecast.png"));
        assertPng(dir.resolve(BURST + "-error.png"));
        assertPng(dir.resolve(BURST + "-anomaly.png"));
        try (Admin admin = broker.admin()) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS)
                    .containsAll(List.of(topic + "-backtest-predictions", topic + "-backtest-predictions-dead-letters")));
        }
        assertCleanedUp(broker);
    }

    @Test
    void failuresAreClear(KafkaBroker broker) throws Exception {
        AppConfig config = AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers()));
        BacktestException missing = assertThrows(BacktestException.class,
                () -> Backtest.run(config, BacktestOptions.of("no-such-topic")));
        assertEquals("topic no-such-topic does not exist", missing.getMessage());

        String topic = "backtest-timeout";
        broker.createTopics(Map.of(topic, 2));
        produce(broker.bootstrapServers(), topic);
        TimeoutException late = assertThrows(TimeoutException.class,
                () -> Backtest.run(config, BacktestOptions.of(topic).withTimeout(Duration.ofSeconds(2))));
        System.out.println("2 s timeout: " + late.getMessage());
        assertCleanedUp(broker);

        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = new Main(c -> 0, Map.of()).execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
                "backtest", "--set", "bootstrap.servers=127.0.0.1:1", "--input-topic", topic, "--timeout", "3s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("no broker: exit %d after %.1f s: %s%n", code, seconds, err);
        assertEquals(1, code);
        assertTrue(err.toString().contains("Kafka did not answer"), err.toString());
        assertTrue(seconds < 60, "gave up after " + seconds + " s");
    }

    /** No consumer group or internal topic of a backtest is left behind. */
    static void assertCleanedUp(KafkaBroker broker) throws Exception {
        try (Admin admin = broker.admin()) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith("rnn-backtest-")).toList();
            assertEquals(List.of(), topics, "internal topics left");
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).filter(g -> g.startsWith("rnn-backtest-")).toList();
            assertEquals(List.of(), groups, "consumer groups left");
        }
    }

    static void assertPng(Path png) throws Exception {
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertTrue(Arrays.equals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head), png
                + " is a PNG");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(BacktestPlots.WIDTH, image.getWidth(), png.toString());
        assertEquals(0, image.getHeight() % BacktestPlots.PANEL_HEIGHT, png + ": whole panels");
    }

    static int index(SensorResult s, Instant time) {
        for (int t = 0; t < s.series().size(); t++) {
            if (s.series().eventTimes()[t] == time.toEpochMilli()) {
                return t;
            }
        }
        throw new AssertionError("no reading of " + s.sensor() + " at " + time);
    }

    static int largestError(SensorResult s) {
        int best = -1;
        for (int t = 1; t < s.series().size(); t++) {
            if (best < 0 || Math.abs(s.series().previousErrors()[t][0]) > Math.abs(s.series().previousErrors()[best][0])) {
                best = t;
            }
        }
        return best;
    }
}

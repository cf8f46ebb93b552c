package io.rnnstreams.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay loop against Kafka's MockProducer; the real broker is in integration-tests (ReplayIT). */
class ReplayerTest {
    private static final SingleObjectCodec<SensorReading> READINGS = SingleObjectCodec.of(SensorReading.class);
    private static final String TOPIC = "sensor-readings";

    @TempDir
    Path dir;

    private final StringWriter errText = new StringWriter();
    private final FakeClock clock = new FakeClock();
    private final MockProducer<byte[], byte[]> producer = mock();
    private int producersMade;

    private static MockProducer<byte[], byte[]> mock() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private ReplayOptions.Builder options() {
        return ReplayOptions.builder().err(new PrintWriter(errText, true)).clock(clock::nanoTime, clock::sleep);
    }

    private ReplaySummary run(ReplayOptions options, Path... files) throws ReplayException {
        return run(new Replayer(options), producer, -1, files);
    }

    private ReplaySummary run(Replayer replayer, Producer<byte[], byte[]> p, long retentionMs, Path... files)
            throws ReplayException {
        Supplier<Producer<byte[], byte[]>> factory = () -> {
            producersMade++;
            return p;
        };
        return replayer.run(List.of(files), TOPIC, factory, () -> retentionMs);
    }

    private Path csv(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** 3 sensors x 4 rows with 2 bad rows between them (lines 5 and 9). */
    private Path mixed() throws Exception {
        return csv("mixed.csv",
                "timestamp,sensor,x,y",                 // 1
                "1000,a,1,10", "1000,b,2,20", "1000,c,3,30",
                "2000,a,1.5",                           // 5: too few columns
                "2000,b,2.5,20", "2000,c,3.5,30", "2000,a,1.5,10",
                "3000,a,x,10",                          // 9: not a number
                "3000,b,4,40", "3000,c,5,50", "3000,a,6,60",
                "4000,a,7,70", "4000,b,8,80", "4000,c,9,90");
    }

    @Test
    void sendsEveryGoodRowAsOneRecordAndReportsBadRows() throws Exception {
        Path file = mixed();
        ReplaySummary s = run(options().build(), file);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals(12, sent.size());
        assertRecord(sent.get(0), "a", 1000, 1, 10);
        assertRecord(sent.get(3), "b", 2000, 2.5, 20);
        assertRecord(sent.get(11), "c", 4000, 9, 90);
        for (ProducerRecord<byte[], byte[]> r : sent) {
            assertEquals(TOPIC, r.topic());
            assertNull(r.partition(), "the default partitioner: by key");
        }
        assertTrue(producer.closed());
        assertEquals(1, producersMade);

        assertEquals(ReplaySummary.Outcome.COMPLETED, s.outcome());
        assertEquals(0, s.exitCode());
        assertEquals(14, s.rowsRead());
        assertEquals(12, s.readings());
        assertEquals(12, s.recordsSent());
        assertEquals(2, s.badRowCount());
        assertEquals(List.of(file + ":5: expected 4 columns (timestamp, sensor and 2 channels), found 3",
                file + ":9: unparsable number \"x\" in column x (3)"),
                s.badRows().stream().map(SourceRow.Bad::toString).collect(Collectors.toList()));
        assertEquals(3, s.sensors());
        assertEquals(1000, s.firstEventTime());
        assertEquals(4000, s.lastEventTime());
        assertEquals(0, s.outOfOrder());
        assertEquals(List.of(file + " (CSV with a sensor column, 2 channels)"), s.files());
        assertEquals(file + ":5: expected 4 columns (timestamp, sensor and 2 channels), found 3\n"
                + file + ":9: unparsable number \"x\" in column x (3)\n", errText.toString().replace("\r\n", "\n"));
    }

    /** The channel names of {@link #mixed()}'s header. */
    private static final String CSV_CHANNELS = "x,y";

    private static void assertRecord(ProducerRecord<byte[], byte[]> r, String sensor, long time, double... values) {
        assertEquals(sensor, new String(r.key(), StandardCharsets.UTF_8));
        assertEquals(time, r.timestamp(), "record timestamp = event time");
        SensorReading reading = READINGS.decode(r.value());
        assertEquals(time, reading.getEventTime().toEpochMilli());
        assertArrayEquals(values, reading.getValues().stream().mapToDouble(Double::doubleValue).toArray());
        assertEquals(Map.of("channels", sensor.equals("ETTh1") ? "HUFL,OT" : CSV_CHANNELS), reading.getTags(),
                "the CSV header names the channels");
    }

    @Test
    void filesAreReplayedInTheOrderGiven() throws Exception {
        Path avro = dir.resolve("first.avro");
        try (ReplayAvro.Writer w = new ReplayAvro.Writer(avro)) {
            w.write("z", 5, new double[] {1, 2}, Map.of("site", "north"));
        }
        Path wide = csv("ETTh1.csv", "date,HUFL,OT", "2016-07-01 00:00:00,1,2", "2016-07-01 01:00:00,3,4");
        ReplaySummary s = run(options().build(), avro, wide, mixed());
        assertEquals(15, s.recordsSent());
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals("z", new String(sent.get(0).key(), StandardCharsets.UTF_8));
        assertEquals(Map.of("site", "north"), READINGS.decode(sent.get(0).value()).getTags());
        assertRecord(sent.get(1), "ETTh1", 1_467_331_200_000L, 1, 2);
        assertRecord(sent.get(2), "ETTh1", 1_467_334_800_000L, 3, 4);
        assertRecord(sent.get(3), "a", 1000, 1, 10);
        assertEquals(3, s.files().size());
    }

    @Test
    void limit() throws Exception {
        ReplaySummary s = run(options().limit(4).build(), mixed());
        assertEquals(4, producer.history().size());
        assertEquals(ReplaySummary.Outcome.LIMIT_REACHED, s.outcome());
        assertEquals(0, s.exitCode());
        assertEquals(5, s.rowsRead(), "the bad row on line 5 was read on the way");
        assertEquals(1, s.badRowCount());

        MockProducer<byte[], byte[]> none = mock();
        ReplaySummary zero = run(new Replayer(options().limit(0).build()), none, -1, mixed());
        assertEquals(0, none.history().size());
        assertEquals(0, zero.rowsRead());
    }

    @Test
    void failOnBadRowsChecksFirstReportsEveryBadRowAndSendsNothing() throws Exception {
        Path good = csv("good.csv", "timestamp,sensor,x", "1,a,1");
        ReplaySummary s = run(options().failOnBadRows(true).build(), good, mixed());
        assertEquals(0, producersMade, "no producer, no connection");
        assertEquals(ReplaySummary.Outcome.BAD_ROWS, s.outcome());
        assertEquals(3, s.exitCode());
        assertEquals(0, s.recordsSent());
        assertEquals(2, s.badRowCount());
        assertEquals(List.of(5L, 9L), s.badRows().stream().map(SourceRow.Bad::line).collect(Collectors.toList()));
        assertEquals(2, errText.toString().lines().count(), errText.toString());
        assertTrue(s.format().startsWith("replay failed: bad rows found (--fail-on-bad-rows): 0 records sent to topic "
                + "sensor-readings\n"), s.format());
    }

    @Test
    void failOnBadRowsSendsCleanFiles() throws Exception {
        Path good = csv("good.csv", "timestamp,sensor,x", "1,a,1", "2,a,2");
        ReplaySummary s = run(options().failOnBadRows(true).build(), good);
        assertEquals(ReplaySummary.Outcome.COMPLETED, s.outcome());
        assertEquals(2, s.recordsSent());
        assertEquals(2, s.rowsRead(), "counted once, not once per pass");
        assertEquals(2, producer.history().size());
    }

    @Test
    void maxBadRowsStopsAtTheFirstBadRowTooMany() throws Exception {
        ReplaySummary s = run(options().maxBadRows(1).build(), mixed());
        assertEquals(ReplaySummary.Outcome.TOO_MANY_BAD_ROWS, s.outcome());
        assertEquals(3, s.exitCode());
        assertEquals(6, s.recordsSent(), "sent before the second bad row stay sent");
        assertEquals(2, s.badRowCount());
        assertTrue(producer.closed());

        MockProducer<byte[], byte[]> p2 = mock();
        ReplaySummary tolerated = run(new Replayer(options().maxBadRows(2).build()), p2, -1, mixed());
        assertEquals(ReplaySummary.Outcome.COMPLETED, tolerated.outcome());
        assertEquals(12, p2.history().size());
    }

    @Test
    void anAsynchronousSendFailureAbortsWithAClearError() throws Exception {
        MockProducer<byte[], byte[]> failing = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> r, Callback callback) {
                Future<RecordMetadata> f = super.send(r, callback);
                if (history().size() == 3) {
                    errorNext(new RecordTooLargeException("the record is too large"));
                } else {
                    completeNext();
                }
                return f;
            }
        };
        ReplayException e = assertThrows(ReplayException.class,
                () -> run(new Replayer(options().build()), failing, -1, mixed()));
        assertEquals(ReplayException.Kind.SEND, e.kind());
        assertEquals(1, e.exitCode());
        assertEquals("sending to topic sensor-readings failed after 2 acknowledged records: "
                + "RecordTooLargeException: the record is too large", e.getMessage());
        assertEquals(3, failing.history().size(), "nothing sent after the failure");
        assertNotNull(e.partialSummary());
        assertEquals(2, e.partialSummary().recordsSent());
        assertTrue(failing.closed());
    }

    @Test
    void aSynchronousSendFailureAbortsToo() throws Exception {
        producer.sendException = new KafkaException("the producer is closed");
        ReplayException e = assertThrows(ReplayException.class, () -> run(options().build(), mixed()));
        assertEquals("sending to topic sensor-readings failed after 0 acknowledged records: KafkaException: "
                + "the producer is closed", e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void anUnreachableTopicFailsBeforeSending() throws Exception {
        producer.partitionsForException = new TimeoutException("Topic sensor-readings not present in metadata after "
                + "60000 ms.");
        ReplayException e = assertThrows(ReplayException.class, () -> run(options().build(), mixed()));
        assertEquals("topic sensor-readings is not available: TimeoutException: Topic sensor-readings not present in "
                + "metadata after 60000 ms.", e.getMessage());
        assertEquals(1, e.exitCode());
        assertEquals(0, producer.history().size());
        assertTrue(producer.closed());
    }

    @Test
    void anUnusableFileFailsBeforeAnythingIsSent() throws Exception {
        Path good = mixed();
        Path empty = csv("empty.csv");
        ReplayException e = assertThrows(ReplayException.class, () -> run(options().build(), good, empty,
                dir.resolve("missing.csv")));
        assertEquals(ReplayException.Kind.INPUT, e.kind());
        assertEquals(2, e.exitCode());
        assertEquals(empty + ": no header line (the file is empty)", e.getMessage());
        assertEquals(0, producersMade);
        ReplayException noFiles = assertThrows(ReplayException.class, () -> run(options().build()));
        assertEquals("no input files", noFiles.getMessage());
    }

    @Test
    void aNegativeEventTimeGoesWithoutARecordTimestamp() throws Exception {
        ReplaySummary s = run(options().build(), csv("neg.csv", "timestamp,sensor,x", "-5,a,1", "7,a,NaN"));
        ProducerRecord<byte[], byte[]> r = producer.history().get(0);
        assertNull(r.timestamp(), "Kafka refuses negative timestamps: the producer's clock then");
        assertEquals(-5, READINGS.decode(r.value()).getEventTime().toEpochMilli(), "the processor dead-letters it");
        assertTrue(Double.isNaN(READINGS.decode(producer.history().get(1).value()).getValues().get(0)));
        assertEquals(1, s.outOfOrder());
        assertEquals(2, s.recordsSent());
    }

    @Test
    void pacedByEventTime() throws Exception {
        Path hourly = csv("hourly.csv", "date,x", "2016-07-01 00:00:00,1", "2016-07-01 01:00:00,2",
                "2016-07-01 02:00:00,3", "2016-07-01 03:00:00,4", "2016-07-01 03:30:00,5");
        ReplaySummary s = run(options().speed(3600).build(), hourly);
        assertEquals(5, s.recordsSent());
        assertEquals(3_500_000_000L, clock.totalSleptNanos(), "3.5 hours at 3600x: 3.5 s");
        assertEquals(Duration.ofMillis(3_500), s.elapsed());
        assertTrue(clock.sleeps.stream().allMatch(n -> n <= Pacer.SLICE_NANOS));
    }

    @Test
    void stopWhileWaiting() throws Exception {
        Path hourly = csv("hourly.csv", "date,x", "2016-07-01 00:00:00,1", "2016-07-01 01:00:00,2",
                "2016-07-01 02:00:00,3");
        Replayer replayer = new Replayer(options().speed(1).build());
        clock.onSleep = replayer::stop;
        ReplaySummary s = run(replayer, producer, -1, hourly);
        assertEquals(ReplaySummary.Outcome.STOPPED, s.outcome());
        assertEquals(130, s.exitCode());
        assertEquals(1, s.recordsSent());
        assertEquals(List.of(Pacer.SLICE_NANOS), clock.sleeps, "stopped after the first slice of the hour");
        assertTrue(producer.closed());
    }

    @Test
    void warnings() throws Exception {
        Path file = csv("w.csv", "timestamp,sensor,x,y", "1467331200000,a,1,2", "1467331100000,a,1,2",
                "1467331300000,a,1,2");
        ReplaySummary s = run(new Replayer(options().expectedChannels(1).build()), producer, 604_800_000L, file);
        String err = errText.toString();
        assertTrue(err.contains("rnn-streams replay: warning: " + file + ":2: the reading has 2 channels, but "
                + "rnn.model.channels is 1: the processor dead-letters such readings (WRONG_DIMENSION); warned once "
                + "per file"), err);
        assertTrue(err.contains("rnn-streams replay: warning: topic sensor-readings deletes records older than "
                + "retention.ms = 604800000 (PT168H) by their timestamps, and readings from 2016-07-01T00:00:00Z are "
                + "older than that"), err);
        assertEquals(2, err.lines().count(), "each warning once: " + err);
        assertEquals(3, s.wrongChannels());
        assertEquals(1, s.outOfOrder());
        String text = s.format();
        assertTrue(text.contains("  warning: 1 reading is not later than an earlier reading of the same sensor"), text);
        assertTrue(text.contains("  warning: 3 readings have another channel count than rnn.model.channels = 1"), text);
    }

    @Test
    void theChannelWarningComesOncePerFileOverTheCheckAndTheSendingPass() throws Exception {
        Path file = csv("c.csv", "timestamp,sensor,x,y", "1,a,1,2", "2,a,1,2");
        ReplaySummary s = run(options().failOnBadRows(true).expectedChannels(1).build(), file);
        assertEquals(2, s.recordsSent());
        assertEquals(1, errText.toString().lines().count(), errText.toString());
    }

    @Test
    void noRetentionWarningForRecentDataOrUnlimitedRetention() throws Exception {
        long now = System.currentTimeMillis();
        Path file = csv("recent.csv", "timestamp,sensor,x", now + ",a,1");
        run(new Replayer(options().build()), producer, 604_800_000L, file);
        run(new Replayer(options().build()), mock(), -1, csv("old.csv", "timestamp,sensor,x", "1000,a,1"));
        assertEquals("", errText.toString());
    }

    @Test
    void dryRunConnectsToNothing() throws Exception {
        ReplaySummary s = run(options().dryRun(true).build(), mixed());
        assertEquals(0, producersMade);
        assertTrue(s.dryRun());
        assertEquals(12, s.readings());
        assertEquals(0, s.recordsSent());
        assertEquals(0, s.exitCode());
        assertTrue(s.format().startsWith("replay (dry run) completed: 12 readings valid, nothing sent\n"), s.format());
        ReplaySummary failing = run(options().dryRun(true).failOnBadRows(true).build(), mixed());
        assertEquals(3, failing.exitCode(), "a dry run tells the same outcome as a real one");
        assertEquals(2, failing.badRowCount());
    }

    @Test
    void summaryText() {
        Path file = Path.of("/data/mixed.csv");
        ReplaySummary s = new ReplaySummary(List.of(file + " (CSV with a sensor column, 2 channels)"), TOPIC, false,
                ReplaySummary.Outcome.COMPLETED, 1_007, 1_000, 1_000, 7,
                List.of(new SourceRow.Bad(file, 3, "empty sensor id"), new SourceRow.Bad(file, 250, "x")),
                10, 0, 0, 0, 1_467_331_200_000L, 1_467_417_600_000L, Duration.ofMillis(1_250));
        assertEquals(String.join("\n",
                "replay completed: 1,000 records sent to topic sensor-readings",
                "  files:        /data/mixed.csv (CSV with a sensor column, 2 channels)",
                "  rows read:    1,007",
                "  bad rows:     7 (mixed.csv:3, mixed.csv:250, ...)",
                "  sensors:      10",
                "  event time:   2016-07-01T00:00:00Z .. 2016-07-02T00:00:00Z",
                "  elapsed:      1.250 s",
                "  rate:         800 records/s",
                ""), s.format());
        assertEquals(800.0, s.rate());
    }

    @Test
    void producerProperties() {
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", "k1:9092,k2:9092");
        kafka.setProperty("application.id", "rnn-streams");
        kafka.setProperty("processing.guarantee", "exactly_once_v2");
        kafka.setProperty("security.protocol", "SASL_SSL");
        kafka.setProperty("sasl.jaas.config", "secret");
        kafka.setProperty("ssl.truststore.location", "/etc/ts.jks");
        kafka.setProperty("acks", "1");
        kafka.setProperty("enable.idempotence", "false");
        kafka.setProperty("producer.compression.type", "zstd");
        kafka.setProperty("compression.type", "gzip");
        kafka.setProperty("producer.linger.ms", "50");
        kafka.setProperty("consumer.max.poll.records", "10");
        kafka.setProperty("transactional.id", "tx");
        kafka.setProperty("rnn.topic.input", "sensor-readings");
        Properties p = Replayer.producerProperties(kafka);
        assertEquals("k1:9092,k2:9092", p.getProperty("bootstrap.servers"));
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("secret", p.getProperty("sasl.jaas.config"));
        assertEquals("/etc/ts.jks", p.getProperty("ssl.truststore.location"));
        assertEquals("all", p.getProperty("acks"), "forced");
        assertEquals("true", p.getProperty("enable.idempotence"), "forced");
        assertEquals("zstd", p.getProperty("compression.type"), "the producer. prefix wins");
        assertEquals("50", p.getProperty("linger.ms"));
        assertEquals("rnn-streams-replay", p.getProperty("client.id"));
        assertEquals(ByteArraySerializer.class.getName(), p.getProperty("key.serializer"));
        assertEquals(ByteArraySerializer.class.getName(), p.getProperty("value.serializer"));
        for (String dropped : new String[] {"application.id", "processing.guarantee", "consumer.max.poll.records",
            "max.poll.records", "transactional.id", "rnn.topic.input"}) {
            assertFalse(p.containsKey(dropped), dropped);
        }
        assertEquals("20", Replayer.producerProperties(new Properties()).getProperty("linger.ms"), "default");
    }
}

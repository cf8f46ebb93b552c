package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.cli.Main;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.replay.ReplayOptions;
import io.rnnstreams.replay.ReplaySummary;
import io.rnnstreams.replay.Replayer;
import io.rnnstreams.replay.SourceRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn-streams replay} against a real broker: a CSV of 1,000 good rows over 10 sensors and 7 bad rows of
 * different kinds at known lines gives exactly the 1,000 records (read_committed), each decoding to its row, and a
 * summary naming the 7 bad lines; {@code --fail-on-bad-rows} reports them, sends nothing and exits with 3; a
 * record the broker refuses fails the replay with exit code 1.
 */
class ReplayIT {
    private static final SingleObjectCodec<SensorReading> READINGS = SingleObjectCodec.of(SensorReading.class);
    private static final long BASE = Instant.parse("2016-07-01T00:00:00Z").toEpochMilli();
    private static final int SENSORS = 10;
    private static final int GOOD_ROWS = 1_000;
    private static final String TS = "expected epoch milliseconds or ISO-8601 such as 2016-07-01T00:00:00Z or "
            + "2016-07-01 00:00:00 (UTC)";
    /** Line number -> the bad row there and the reason replay must give. */
    private static final Map<Long, String[]> BAD = new LinkedHashMap<>();

    static {
        BAD.put(5L, new String[] {"1467331200000,sensor-3,1.0",
            "expected 4 columns (timestamp, sensor and 2 channels), found 3"});
        BAD.put(100L, new String[] {"1467331200000,sensor-3,1.0,2.0,3.0",
            "expected 4 columns (timestamp, sensor and 2 channels), found 5"});
        BAD.put(250L, new String[] {"1467331200000,sensor-3,12..5,2.0",
            "unparsable number \"12..5\" in column temperature (3)"});
        BAD.put(400L, new String[] {"01/07/2016 10:00,sensor-3,1.0,2.0",
            "unparsable timestamp \"01/07/2016 10:00\": " + TS});
        BAD.put(600L, new String[] {"1467331200000,,1.0,2.0", "empty sensor id"});
        BAD.put(800L, new String[] {"1467331200000,sensor-3,1.0,", "empty value in column pressure (4)"});
        BAD.put(1003L, new String[] {"2016-02-30T00:00:00Z,sensor-3,1.0,2.0",
            "unparsable timestamp \"2016-02-30T00:00:00Z\": " + TS});
    }

    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Good row i: sensor i % 10, one reading a minute per sensor, values with full-precision decimals. */
    private static String sensor(int i) {
        return "sensor-" + i % SENSORS;
    }

    private static long time(int i) {
        return BASE + (i / SENSORS) * 60_000L;
    }

    private static double[] values(int i) {
        if (i == 333) {
            return new double[] {Double.NaN, 1.0}; // passed through: the processor dead-letters it
        }
        return new double[] {20 + Math.sin(i * 0.1) * 5, 1013.25 - i / 7.0};
    }

    /** The CSV: header on line 1, 1,007 data rows, the bad ones on the lines of {@link #BAD}. */
    private Path readingsCsv() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("timestamp,sensor,temperature,pressure");
        int good = 0;
        for (long line = 2; line <= GOOD_ROWS + BAD.size() + 1; line++) {
            if (BAD.containsKey(line)) {
                lines.add(BAD.get(line)[0]);
                continue;
            }
            double[] v = values(good);
            // every third row an ISO-8601 timestamp, the others epoch milliseconds
            String ts = good % 3 == 0 ? Instant.ofEpochMilli(time(good)).toString() : Long.toString(time(good));
            lines.add(ts + "," + sensor(good) + "," + v[0] + "," + v[1]);
            good++;
        }
        assertEquals(GOOD_ROWS, good);
        return Files.write(dir.resolve("replay.csv"), lines, StandardCharsets.UTF_8);
    }

    /** A topic that keeps old timestamps (the readings are from 2016) and more than one partition. */
    private static void createTopic(String topic, Map<String, String> configs) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(configs))).all()
                    .get(60, TimeUnit.SECONDS);
        }
        broker.createTopics(Map.of(topic, 3)); // an existing topic is accepted; waits for the partition leaders
    }

    @Test
    void exactlyTheGoodRowsArriveAndTheSummaryNamesTheBadLines() throws Exception {
        String topic = "replay-it-readings";
        createTopic(topic, Map.of("retention.ms", "-1"));
        Path csv = readingsCsv();
        StringWriter err = new StringWriter();
        Properties kafka = AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers())).kafkaProperties();

        ReplaySummary summary = Replayer.replay(List.of(csv), kafka, topic,
                ReplayOptions.builder().err(new PrintWriter(err, true)).build());

        assertEquals(ReplaySummary.Outcome.COMPLETED, summary.outcome());
        assertEquals(0, summary.exitCode());
        assertEquals(GOOD_ROWS + BAD.size(), summary.rowsRead());
        assertEquals(GOOD_ROWS, summary.recordsSent());
        assertEquals(BAD.size(), summary.badRowCount());
        assertEquals(new ArrayList<>(BAD.keySet()),
                summary.badRows().stream().map(SourceRow.Bad::line).collect(Collectors.toList()));
        List<String> expectedReports = new ArrayList<>();
        BAD.forEach((line, bad) -> expectedReports.add(csv + ":" + line + ": " + bad[1]));
        assertEquals(expectedReports, summary.badRows().stream().map(Object::toString).collect(Collectors.toList()));
        assertEquals(expectedReports, err.toString().lines().collect(Collectors.toList()), "stderr: FILE:LINE: reason");
        assertEquals(SENSORS, summary.sensors());
        assertTrue(summary.format().contains("  bad rows:     7 (replay.csv:5, replay.csv:100, replay.csv:250, "
                + "replay.csv:400, replay.csv:600, replay.csv:800, replay.csv:1003)"), summary.format());

        List<ConsumerRecord<byte[], byte[]>> records = readCommitted(topic);
        assertEquals(GOOD_ROWS, records.size(), "exactly the good rows, each once");
        Map<String, Integer> byKeyAndTime = new HashMap<>();
        for (int i = 0; i < GOOD_ROWS; i++) {
            byKeyAndTime.put(sensor(i) + "@" + time(i), i);
        }
        Set<Integer> seen = new HashSet<>();
        Map<String, Long> lastTimeOfSensor = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String sensor = new String(r.key(), StandardCharsets.UTF_8);
            SensorReading reading = READINGS.decode(r.value());
            long t = reading.getEventTime().toEpochMilli();
            Integer i = byKeyAndTime.get(sensor + "@" + t);
            assertNotNull(i, "no such row: " + sensor + " at " + t);
            assertTrue(seen.add(i), "duplicate of row " + i);
            assertEquals(t, r.timestamp(), "record timestamp = event time");
            assertArrayEquals(values(i), reading.getValues().stream().mapToDouble(Double::doubleValue).toArray(),
                    "values of row " + i);
            Long previous = lastTimeOfSensor.put(sensor, t);
            assertTrue(previous == null || previous < t, "a sensor's readings stay in order in its partition");
        }
        assertEquals(GOOD_ROWS, seen.size());
    }

    @Test
    void failOnBadRowsReportsThemSendsNothingAndExitsWith3() throws Exception {
        String topic = "replay-it-strict";
        createTopic(topic, Map.of("retention.ms", "-1"));
        Path csv = readingsCsv();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = main(out, err, "replay", "--set", "bootstrap.servers=" + broker.bootstrapServers(), "--topic", topic,
                "--set", "rnn.model.channels=2", "--fail-on-bad-rows", "--progress=none", csv.toString());

        assertEquals(3, code, err.toString());
        List<String> expectedReports = new ArrayList<>();
        BAD.forEach((line, bad) -> expectedReports.add(csv + ":" + line + ": " + bad[1]));
        assertEquals(expectedReports, err.toString().lines().collect(Collectors.toList()));
        assertTrue(out.toString().startsWith("replay failed: bad rows found (--fail-on-bad-rows): 0 records sent to "
                + "topic " + topic + "\n"), out.toString());
        assertEquals(0, readCommitted(topic).size(), "nothing sent");
    }

    @Test
    void theCommandReplaysAWideCsvUpToTheLimit() throws Exception {
        String topic = "replay-it-wide";
        createTopic(topic, Map.of("retention.ms", "-1"));
        StringBuilder sb = new StringBuilder("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT\n");
        for (int h = 0; h < 48; h++) {
            sb.append(Instant.ofEpochMilli(BASE + h * 3_600_000L).toString().replace('T', ' ').replace("Z", ""));
            for (int c = 0; c < 7; c++) {
                sb.append(',').append(h + c / 10.0);
            }
            sb.append('\n');
        }
        Path csv = Files.writeString(dir.resolve("ETTh1.csv"), sb.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = main(out, err, "replay", "--set", "bootstrap.servers=" + broker.bootstrapServers(),
                "--set", "rnn.topic.input=" + topic, "--set", "rnn.model.channels=7", "--sensor-id", "transformer-1",
                "--limit", "30", "--speed", "3600000", "--progress=plain", csv.toString());

        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("replay stopped at --limit: 30 records sent to topic " + topic + "\n"),
                out.toString());
        assertTrue(err.toString().lines().allMatch(l -> l.startsWith("replay: ")), "only progress lines: " + err);
        List<ConsumerRecord<byte[], byte[]>> records = readCommitted(topic);
        assertEquals(30, records.size());
        for (int h = 0; h < 30; h++) {
            ConsumerRecord<byte[], byte[]> r = records.get(h); // one key: one partition, in order
            assertEquals("transformer-1", new String(r.key(), StandardCharsets.UTF_8));
            SensorReading reading = READINGS.decode(r.value());
            assertEquals(BASE + h * 3_600_000L, reading.getEventTime().toEpochMilli());
            assertEquals(7, reading.getValues().size());
            assertEquals(h + 0.6, reading.getValues().get(6), 0.0);
        }
    }

    @Test
    void aRecordTheBrokerRefusesFailsTheReplayWithExit1() throws Exception {
        String topic = "replay-it-small-messages";
        createTopic(topic, Map.of("retention.ms", "-1", "max.message.bytes", "1024"));
        StringBuilder sb = new StringBuilder("timestamp");
        for (int c = 0; c < 400; c++) {
            sb.append(",c").append(c);
        }
        sb.append('\n');
        for (int row = 0; row < 3; row++) {
            sb.append(BASE + row);
            for (int c = 0; c < 400; c++) {
                sb.append(',').append(c);
            }
            sb.append('\n');
        }
        Path csv = Files.writeString(dir.resolve("wide-values.csv"), sb.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = main(out, err, "replay", "--set", "bootstrap.servers=" + broker.bootstrapServers(), "--topic", topic,
                "--progress=none", csv.toString());

        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("rnn-streams replay: sending to topic " + topic + " failed after 0 "
                + "acknowledged records: RecordTooLargeException: "), err.toString());
        assertEquals(0, readCommitted(topic).size());
    }

    @Test
    void oldReadingsOnATopicWithTimeRetentionAreWarnedAbout() throws Exception {
        String topic = "replay-it-retention";
        createTopic(topic, Map.of("retention.ms", "604800000"));
        Path csv = Files.writeString(dir.resolve("old.csv"), "timestamp,sensor,x\n2016-07-01T00:00:00Z,a,1\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = main(out, err, "replay", "--set", "bootstrap.servers=" + broker.bootstrapServers(), "--topic", topic,
                "--progress=none", csv.toString());

        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("rnn-streams replay: warning: topic " + topic + " deletes records older "
                + "than retention.ms = 604800000 (PT168H) by their timestamps"), err.toString());
    }

    private static int main(StringWriter out, StringWriter err, String... args) {
        return new Main(config -> {
            throw new AssertionError("not run");
        }, Map.of()).execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** Every record of the topic visible to read_committed, partition by partition in offset order. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).sorted((a, b) -> a.partition() - b.partition())
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
            partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reached(consumer, end)) {
                assertTrue(System.nanoTime() < deadline, "reading " + topic + " did not reach " + end);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    byPartition.get(new TopicPartition(r.topic(), r.partition())).add(r);
                }
            }
            return byPartition.values().stream().flatMap(List::stream).collect(Collectors.toList());
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}

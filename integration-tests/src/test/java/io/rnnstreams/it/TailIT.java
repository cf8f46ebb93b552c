package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.cli.Main;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.stream.ForecastTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn-streams tail} on a broker-fed run: the processor (in-process Kafka Streams, exactly-once) forecasts
 * 2 sensors x 40 readings and turns one garbage record into a dead letter; {@code tail} prints them as JSON lines
 * that this test parses (values, forecast times, intervals, anomaly flag, channel names from the readings'
 * {@code channels} tag, the tags, the dead letter's reason and source), filters by sensor into a table, and, following from the end, prints exactly the predictions of
 * readings sent after it started, then exits 0.
 */
@WithKafkaBroker
class TailIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int READINGS = 40;

    @TempDir
    Path tmp;

    @Test
    void tailPrintsPredictionsAndDeadLettersAsJsonLinesAndATable(KafkaBroker broker) throws Exception {
        broker.createTopics(Map.of("tail-readings", 2, "tail-predictions", 2, "tail-dead-letters", 1));
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int t = 0; t < READINGS; t++) {
            for (int k = 0; k < 2; k++) {
                sent.add(new ProducerRecord<>("tail-readings", null, EndToEndIT.time(t), key("s-" + k),
                        reading(k, t)));
            }
        }
        sent.add(new ProducerRecord<>("tail-readings", null, EndToEndIT.time(READINGS), key("s-0"),
                new byte[] {1, 2, 3}));
        send(broker, sent);
        AppConfig config = AppConfig.of(Map.of(
                "rnn.learner", "rnn", // n-step forecasts: the plain RNN (the default hybrid forecasts one step)
                "rnn.topic.input", "tail-readings",
                "rnn.topic.predictions", "tail-predictions",
                "rnn.topic.dead-letters", "tail-dead-letters",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "4",
                "rnn.forecast.horizon", "3",
                "application.id", "tail-" + UUID.randomUUID(),
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", tmp.toString()));
        StreamSettings settings = config.streamSettings();
        String[] base = {"tail", "--set", "bootstrap.servers=" + broker.bootstrapServers(),
            "--set", "rnn.topic.predictions=tail-predictions", "--set", "rnn.topic.dead-letters=tail-dead-letters"};
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(settings),
                ForecastTopology.streamsProperties(settings, config.kafkaProperties()))) {
            streams.start();
            KafkaClients.awaitCommitted(broker.bootstrapServers(), "tail-predictions", 2 * READINGS,
                    Duration.ofMinutes(2));
            KafkaClients.awaitCommitted(broker.bootstrapServers(), "tail-dead-letters", 1, Duration.ofMinutes(2));

            // from the start, JSON lines
            Run all = tail(base);
            assertEquals(0, all.exit, all.err);
            List<JsonNode> lines = all.json();
            assertEquals(2 * READINGS + 1, lines.size(), all.out);
            List<JsonNode> s0 = lines.stream().filter(l -> l.get("kind").asText().equals("prediction")
                    && l.get("sensor").asText().equals("s-0")).toList();
            assertEquals(READINGS, s0.size());
            for (int t = 0; t < READINGS; t++) {
                JsonNode p = s0.get(t).get("prediction");
                assertEquals(EndToEndIT.time(t), p.get("eventTime").asLong(), "in event-time order");
                assertEquals(t + 1, p.get("readingsLearned").asLong());
                assertEquals(2, p.get("forecast").size());
                assertTrue(p.get("forecast").get(0).isDouble() && p.get("forecast").get(1).isDouble());
                assertEquals(3, p.get("horizon").size());
                assertEquals(p.get("forecast"), p.get("horizon").get(0));
                assertTrue(p.get("anomaly").isBoolean());
                assertEquals(t == 0, p.get("previousError").isNull());
                assertEquals(List.of("level", "flow"), MAPPER.convertValue(p.get("channelNames"), List.class));
                assertEquals("level,flow", p.get("tags").get("channels").asText(), "the reading's tags, passed on");
                // readings 1 s apart: step i is forecast for eventTime + i s; none at the first reading
                assertEquals(t == 0 ? 0 : 3, p.get("forecastTimes").size());
                for (int i = 0; i < p.get("forecastTimes").size(); i++) {
                    assertEquals(EndToEndIT.time(t) + (i + 1) * 1_000L, p.get("forecastTimes").get(i).asLong());
                }
                // intervals from the 30th scored forecast on (reading 31), 3 steps x 2 channels, widening
                boolean banded = t + 1 >= 31;
                assertEquals(banded ? 0.9 : null, p.get("intervalLevel").isNull() ? null : p.get("intervalLevel").asDouble());
                assertEquals(banded ? 3 : 0, p.get("intervalLower").size());
                assertEquals(banded ? 3 : 0, p.get("intervalUpper").size());
                for (int step = 0; banded && step < 3; step++) {
                    for (int c = 0; c < 2; c++) {
                        double lo = p.get("intervalLower").get(step).get(c).asDouble();
                        double hi = p.get("intervalUpper").get(step).get(c).asDouble();
                        assertTrue(lo < hi, "step " + step + " channel " + c + ": " + lo + " .. " + hi);
                        if (step > 0) {
                            double width0 = p.get("intervalUpper").get(0).get(c).asDouble()
                                    - p.get("intervalLower").get(0).get(c).asDouble();
                            assertEquals(width0 * Math.sqrt(step + 1), hi - lo, 1e-9 * width0);
                        }
                    }
                }
            }
            JsonNode dead = lines.stream().filter(l -> l.get("kind").asText().equals("dead-letter")).findFirst()
                    .orElseThrow();
            assertEquals("s-0", dead.get("sensor").asText());
            assertEquals("DESERIALIZATION", dead.get("reason").asText());
            assertTrue(dead.get("detail").asText().contains("single-object"), dead.toString());
            assertEquals("tail-readings", dead.get("source").get("topic").asText());
            assertEquals(3, dead.get("valueBytes").asInt());

            // one sensor, as a table
            Run table = tail(concat(base, "--sensor", "s-1", "--format", "table", "--no-dead-letters"));
            assertEquals(0, table.exit, table.err);
            List<String> rows = table.out.lines().toList();
            assertEquals(READINGS + 1, rows.size(), table.out);
            assertTrue(rows.get(0).startsWith("TIME (UTC)"), rows.get(0));
            assertTrue(rows.stream().skip(1).allMatch(r -> r.contains(" s-1 ") && r.contains(" prediction ")
                    && r.contains("level=") && r.contains("flow=")), table.out);

            // following from the end: only what comes after, then --max ends it
            CompletableFuture<Run> follow = CompletableFuture.supplyAsync(() -> tail(concat(base, "--follow",
                    "--sensor", "s-1", "--max", "3")));
            Thread.sleep(5_000); // the tail's consumer has found the end offsets
            List<ProducerRecord<byte[], byte[]>> more = new ArrayList<>();
            for (int t = READINGS + 1; t < READINGS + 4; t++) {
                more.add(new ProducerRecord<>("tail-readings", null, EndToEndIT.time(t), key("s-1"), reading(1, t)));
            }
            send(broker, more);
            Run followed = follow.get(2, TimeUnit.MINUTES);
            assertEquals(0, followed.exit, followed.err);
            List<JsonNode> tailed = followed.json();
            assertEquals(3, tailed.size(), followed.out);
            for (int i = 0; i < 3; i++) {
                assertEquals(EndToEndIT.time(READINGS + 1 + i), tailed.get(i).get("prediction").get("eventTime").asLong());
                assertEquals(READINGS + 1 + i, tailed.get(i).get("prediction").get("readingsLearned").asLong());
            }
        }
        System.out.println("TailIT: " + (2 * READINGS + 1) + " JSON lines, a " + (READINGS + 1)
                + "-row table and 3 followed predictions through " + broker.kind());
    }

    /**
     * Issue 14: with {@code rnn.forecast.mode=seq2seq} (N = 3) and {@code rnn.smoothing.lag=2}, {@code tail} prints the
     * predictions with the decoder's 3 steps and, from the configured lagged topic, one {@code lagged} line per reading
     * but each sensor's last 2; {@code --no-lagged} leaves them out; the table shows the judged reading's number.
     */
    @Test
    void tailPrintsTheLaggedOutputsOfSmoothingBesideSeq2seqPredictions(KafkaBroker broker) throws Exception {
        int lag = 2;
        broker.createTopics(Map.of("tail2-readings", 2, "tail2-predictions", 2, "tail2-predictions-lagged", 2,
                "tail2-dead-letters", 1));
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int t = 0; t < READINGS; t++) {
            for (int k = 0; k < 2; k++) {
                sent.add(new ProducerRecord<>("tail2-readings", null, EndToEndIT.time(t), key("s-" + k),
                        reading(k, t)));
            }
        }
        send(broker, sent);
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "rnn.topic.input", "tail2-readings",
                "rnn.topic.predictions", "tail2-predictions",
                "rnn.topic.dead-letters", "tail2-dead-letters",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "4",
                "rnn.learner", "rnn",
                "rnn.model.scope", "key",
                "rnn.forecast.mode", "seq2seq",
                "rnn.forecast.horizon", "3",
                "rnn.smoothing.lag", Integer.toString(lag)));
        settings.putAll(Map.of("application.id", "tail2-" + UUID.randomUUID(),
                "bootstrap.servers", broker.bootstrapServers(), "state.dir", tmp.toString()));
        AppConfig config = AppConfig.of(settings);
        StreamSettings stream = config.streamSettings();
        assertEquals("tail2-predictions-lagged", stream.smoothing().laggedTopic());
        String[] base = {"tail", "--set", "bootstrap.servers=" + broker.bootstrapServers(),
            "--set", "rnn.topic.predictions=tail2-predictions", "--set", "rnn.topic.dead-letters=tail2-dead-letters",
            "--set", "rnn.learner=rnn", "--set", "rnn.forecast.mode=seq2seq", "--set", "rnn.forecast.horizon=3",
            "--set", "rnn.smoothing.lag=" + lag};
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(stream),
                ForecastTopology.streamsProperties(stream, config.kafkaProperties()))) {
            streams.start();
            KafkaClients.awaitCommitted(broker.bootstrapServers(), "tail2-predictions", 2 * READINGS,
                    Duration.ofMinutes(2));
            KafkaClients.awaitCommitted(broker.bootstrapServers(), "tail2-predictions-lagged", 2 * (READINGS - lag),
                    Duration.ofMinutes(2));

            Run all = tail(base);
            assertEquals(0, all.exit, all.err);
            List<JsonNode> lines = all.json();
            assertEquals(2 * READINGS + 2 * (READINGS - lag), lines.size(), all.out);
            List<JsonNode> lagged = lines.stream().filter(l -> l.get("kind").asText().equals("lagged")
                    && l.get("sensor").asText().equals("s-0")).toList();
            assertEquals(READINGS - lag, lagged.size());
            for (int m = 0; m < READINGS - lag; m++) {
                JsonNode o = lagged.get(m).get("lagged");
                assertEquals(m + 1, o.get("sequence").asLong(), "in order, one per reading");
                assertEquals(EndToEndIT.time(m), o.get("eventTime").asLong(), "the judged reading's event time");
                assertEquals(lag, o.get("lag").asInt());
                assertEquals(2, o.get("smoothed").size());
                assertEquals(2, o.get("residual").size());
                double score = o.get("laggedScore").asDouble();
                assertTrue(score >= 0 && score <= 1, "score " + score);
                assertEquals("tail2-predictions-lagged", lagged.get(m).get("topic").asText());
            }
            assertTrue(lines.stream().filter(l -> l.get("kind").asText().equals("prediction"))
                    .allMatch(l -> l.get("prediction").get("horizon").size() == 3), "the decoder's 3 steps");

            Run noLagged = tail(concat(base, "--no-lagged"));
            assertEquals(0, noLagged.exit, noLagged.err);
            assertEquals(2 * READINGS, noLagged.json().size(), noLagged.out);

            Run table = tail(concat(base, "--sensor", "s-1", "--format", "table", "--no-dead-letters"));
            assertEquals(0, table.exit, table.err);
            List<String> rows = table.out.lines().filter(r -> r.contains(" lagged ")).toList();
            assertEquals(READINGS - lag, rows.size(), table.out);
            assertTrue(rows.get(0).contains("reading #1, " + lag + " late: smoothed ch0=")
                    && rows.get(0).contains("lagged score "), rows.get(0));
        }
    }

    private record Run(int exit, String out, String err) {
        List<JsonNode> json() throws Exception {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.lines().toList()) {
                nodes.add(MAPPER.readTree(line));
            }
            return nodes;
        }
    }

    private static Run tail(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new Main(c -> {
            throw new AssertionError("tail must not run the application");
        }, Map.of()).execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] concat(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@link EndToEndIT#reading} with its two channels named by the tag {@code channels}. */
    private static byte[] reading(int k, int t) {
        SensorReading r = EndToEndIT.READINGS.decode(EndToEndIT.reading(k, t));
        r.setTags(Map.of("channels", "level,flow"));
        return EndToEndIT.READINGS.encode(r);
    }

    private static byte[] key(String sensor) {
        return sensor.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(KafkaBroker broker, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get();
            }
        }
    }
}

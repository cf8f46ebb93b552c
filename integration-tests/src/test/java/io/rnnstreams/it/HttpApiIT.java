package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.it.broker.ProcessorJvms;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.stream.AvroSerde;
import io.rnnstreams.stream.SensorViews;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7: the HTTP API of two processor JVMs ({@code rnn-streams.jar run}, each with its own
 * {@code rnn.http.port} and {@code application.server}) sharing one application id over a 4-partition
 * input topic on a real broker.
 * <ul>
 *   <li>GET /sensors/{id} and /sensors/{id}/forecast answer the same from either instance; for keys held by
 *       the other one the answer is forwarded ({@code X-Rnn-Served-By} names the owner, not the instance
 *       asked), and each instance is asked about keys it does not hold;</li>
 *   <li>the summary says R readings and the last reading's time; the forecast equals, bit for bit, both the
 *       n-step horizon of the key's last prediction and the engine's rollout computed here from the key and
 *       model state read back from the changelog topics;</li>
 *   <li>GET /sensors pages through all S keys (from either instance); unknown key 404, bad steps 400, unknown
 *       path 404, POST 405, all JSON;</li>
 *   <li>/metrics of both instances: readings, predictions and the processing-time histogram's count, summed
 *       over the two, equal the S x R records;</li>
 *   <li>after one instance is SIGKILLed, asking the other about a key the dead one held answers 503 with
 *       JSON and Retry-After (never an error page or a hang) until the rebalance moves the key, then 200
 *       served by the survivor, still with R readings.</li>
 * </ul>
 * CI size: 8 sensors x 200 readings. Processor logs: {@code integration-tests/target/http-<id>/}.
 */
@WithKafkaBroker
class HttpApiIT {
    static final int S = Integer.getInteger("http.sensors", 8);
    static final int R = Integer.getInteger("http.readings", 200);
    static final int STEPS = 5;
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final ProcessorJvms jvms = new ProcessorJvms();

    @Test
    void eitherInstanceAnswersForEveryKeyAndTheMetricsCountEveryRecord(KafkaBroker broker) throws Exception {
        long t0 = System.nanoTime();
        Path work = WorkDirs.create("http");
        String id = work.getFileName().toString();
        String input = id + "-readings";
        String predictions = id + "-predictions";
        String deadLetters = id + "-dead-letters";
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(
                    new NewTopic(input, 4, (short) 1).configs(Map.of("retention.ms", "-1")),
                    new NewTopic(predictions, 4, (short) 1).configs(Map.of("retention.ms", "-1")),
                    new NewTopic(deadLetters, 1, (short) 1).configs(Map.of("retention.ms", "-1"))))
                    .all().get(60, TimeUnit.SECONDS);
        }
        broker.createTopics(Map.of(input, 4, predictions, 4, deadLetters, 1));

        System.out.printf("HttpApiIT: topics created after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        int[] ports = KafkaBroker.freePorts(2);
        String[] urls = new String[2];
        Map<String, String> common = new LinkedHashMap<>();
        common.put("application.id", id);
        common.put("bootstrap.servers", broker.bootstrapServers());
        common.put("rnn.topic.input", input);
        common.put("rnn.topic.predictions", predictions);
        common.put("rnn.topic.dead-letters", deadLetters);
        common.put("rnn.model.channels", "2");
        common.put("rnn.model.hidden", "8");
        common.put("rnn.train.k1", "8");
        common.put("rnn.train.k2", "8");
        // the plain RNN's n-step rollout, in key scope (the hybrid forecasts one step): set explicitly
        common.put("rnn.learner", "rnn");
        common.put("rnn.model.scope", "key");
        common.put("rnn.forecast.horizon", Integer.toString(STEPS));
        common.put("commit.interval.ms", "100");
        // a SIGKILLed member leaves the group when its session expires: keep that short (broker minimum 6 s)
        common.put("session.timeout.ms", "6000");
        common.put("heartbeat.interval.ms", "1500");
        common.put("rnn.http.enabled", "true");
        for (int i = 0; i < 2; i++) {
            Map<String, String> settings = new LinkedHashMap<>(common);
            settings.put("state.dir", work.resolve("state-" + i).toString());
            settings.put("rnn.http.port", Integer.toString(ports[i]));
            settings.put("application.server", "127.0.0.1:" + ports[i]);
            urls[i] = "http://127.0.0.1:" + ports[i];
            jvms.start(settings, work, "instance-" + i);
        }
        try {
            // both RUNNING with the 4 partitions split between them, before any record: no task moves later,
            // so the per-task counters cover every record
            await("both instances RUNNING with the 4 partitions between them", () -> {
                int total = 0;
                for (String url : urls) {
                    JsonNode h = jsonOrNull(url + "/health");
                    if (h == null || !h.get("state").asText().equals("RUNNING") || h.get("activePartitions").isEmpty()) {
                        return false;
                    }
                    total += h.get("activePartitions").size();
                }
                return total == 4;
            });
            System.out.printf("HttpApiIT: two instances RUNNING after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            long produced = System.nanoTime();
            produce(broker.bootstrapServers(), input);
            List<ConsumerRecord<byte[], byte[]>> committed = KafkaClients.awaitCommitted(broker.bootstrapServers(),
                    predictions, S * R, TIMEOUT);
            assertEquals(S * R, committed.size(), "one prediction per reading");
            Map<String, Prediction> lastPrediction = new HashMap<>();
            AvroSerde<Prediction> predictionSerde = AvroSerde.of(Prediction.class);
            for (ConsumerRecord<byte[], byte[]> r : committed) {
                Prediction p = predictionSerde.deserializer().deserialize(predictions, r.value());
                lastPrediction.merge(new String(r.key(), StandardCharsets.UTF_8), p,
                        (a, b) -> b.getEventTime().isAfter(a.getEventTime()) ? b : a);
            }
            System.out.printf("HttpApiIT: %,d predictions committed after %.1f s (%.1f s after the first record, "
                    + "3 s of it the reader's check for duplicates)%n", S * R, (System.nanoTime() - t0) / 1e9,
                    (System.nanoTime() - produced) / 1e9);

            // the engine's rollout from the state in the changelogs (the last committed value of each key)
            AppConfig config = AppConfig.of(common);
            Map<String, KeyState> keyStates = lastValues(broker.bootstrapServers(), id + "-rnn-key-state-changelog",
                    AvroSerde.of(KeyState.class));
            Map<String, ModelState> models = lastValues(broker.bootstrapServers(), id + "-rnn-models-changelog",
                    AvroSerde.of(ModelState.class));

            String[] self = {"127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]};
            Map<String, Integer> owner = new HashMap<>();
            int[] forwarded = new int[2];
            for (int k = 0; k < S; k++) {
                String key = sensor(k);
                String ownerSeen = null;
                String forecastSeen = null;
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> r = get(urls[i] + "/sensors/" + key);
                    assertEquals(200, r.statusCode(), r.body());
                    String servedBy = r.headers().firstValue("X-Rnn-Served-By").orElseThrow();
                    assertTrue(servedBy.equals(self[0]) || servedBy.equals(self[1]), servedBy);
                    if (ownerSeen == null) {
                        ownerSeen = servedBy;
                    }
                    assertEquals(ownerSeen, servedBy, key + ": both instances name the same owner");
                    if (!servedBy.equals(self[i])) {
                        forwarded[i]++;
                    }
                    JsonNode summary = MAPPER.readTree(r.body());
                    assertEquals(key, summary.get("sensor").asText());
                    assertEquals(R, summary.get("readings").asLong(), key);
                    assertEquals(EndToEndIT.time(R - 1), summary.get("lastReadingTimeMillis").asLong(), key);
                    assertEquals(R - 1, summary.at("/prequentialError/scoredReadings").asLong(), key);
                    assertEquals(lastPrediction.get(key).getAnomalyScore(), summary.get("anomalyScore").asDouble(), key);

                    HttpResponse<String> f = get(urls[i] + "/sensors/" + key + "/forecast?steps=" + STEPS);
                    assertEquals(200, f.statusCode(), f.body());
                    assertEquals(ownerSeen, f.headers().firstValue("X-Rnn-Served-By").orElseThrow());
                    if (forecastSeen == null) {
                        forecastSeen = f.body();
                    }
                    assertEquals(forecastSeen, f.body(), key + ": the same forecast from either instance");
                }
                owner.put(key, ownerSeen.equals(self[0]) ? 0 : 1);
                JsonNode rows = MAPPER.readTree(forecastSeen).get("forecast");
                Prediction last = lastPrediction.get(key);
                double[][] rollout = SensorViews.forecast(config.learnerConfig(), keyStates.get(key),
                        models.get(key), null, STEPS);
                assertEquals(STEPS, rows.size());
                for (int s = 0; s < STEPS; s++) {
                    for (int c = 0; c < 2; c++) {
                        long served = Double.doubleToLongBits(rows.get(s).get(c).asDouble());
                        assertEquals(Double.doubleToLongBits(last.getHorizon().get(s).get(c)), served,
                                key + " step " + s + ": the last prediction's horizon");
                        assertEquals(Double.doubleToLongBits(rollout[s][c]), served,
                                key + " step " + s + ": the rollout from the changelog state");
                    }
                }
            }
            System.out.printf("HttpApiIT: %d keys, owners %s; forwarded answers: instance 0 %d, instance 1 %d%n", S,
                    owner, forwarded[0], forwarded[1]);
            assertTrue(forwarded[0] > 0 && forwarded[1] > 0, "each instance answered for keys held by the other");

            // what a person sees (docs/http-api.md quotes these)
            for (String path : List.of("/health", "/sensors/" + sensor(0), "/sensors/" + sensor(0) + "/forecast?steps=3",
                    "/sensors?limit=3", "/sensors/no-such-sensor", "/sensors/" + sensor(0) + "/forecast?steps=0")) {
                HttpResponse<String> r = get(urls[0] + path);
                System.out.printf("HttpApiIT: GET %s -> %d, served by %s%n  %s%n", path, r.statusCode(),
                        r.headers().firstValue("X-Rnn-Served-By").orElse("-"), r.body());
            }

            // every key, paged, from either instance
            for (String url : urls) {
                List<String> listed = new ArrayList<>();
                String after = null;
                int pages = 0;
                do {
                    JsonNode page = MAPPER.readTree(get(url + "/sensors?limit=3"
                            + (after == null ? "" : "&after=" + after)).body());
                    page.get("sensors").forEach(n -> listed.add(n.asText()));
                    after = page.get("next").isNull() ? null : page.get("next").asText();
                    pages++;
                } while (after != null && pages < 10);
                TreeSet<String> want = new TreeSet<>();
                for (int k = 0; k < S; k++) {
                    want.add(sensor(k));
                }
                assertEquals(new ArrayList<>(want), listed, "all keys, in order, once, from " + url);
            }

            // client errors, JSON, from either instance
            for (String url : urls) {
                assertStatus(get(url + "/sensors/no-such-sensor"), 404, "unknown_sensor");
                assertStatus(get(url + "/sensors/" + sensor(0) + "/forecast?steps=0"), 400, "bad_request");
                assertStatus(get(url + "/sensors/" + sensor(0) + "/forecast?steps=101"), 400, "bad_request");
                assertStatus(get(url + "/nowhere"), 404, "not_found");
                assertStatus(CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/sensors/" + sensor(0)))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()),
                        405, "method_not_allowed");
            }

            // the metrics of both, summed, count every record (the binder picks up new metrics every 5 s)
            String[] names = {"kafka_stream_rnn_streams_readings_total", "kafka_stream_rnn_streams_predictions_total",
                "rnn_reading_processing_seconds_count"};
            Map<String, Double> sums = new LinkedHashMap<>();
            await("the metrics of both instances to count " + S * R + " records", () -> {
                for (String name : names) {
                    double sum = 0;
                    for (String url : urls) {
                        sum += sum(get(url + "/metrics").body(), name);
                    }
                    sums.put(name, sum);
                }
                return sums.values().stream().allMatch(v -> v == S * R);
            });
            System.out.printf("HttpApiIT: /metrics summed over both instances: %s%n", sums);
            String metrics0 = get(urls[0] + "/metrics").body();
            metrics0.lines().filter(l -> l.startsWith("kafka_stream_rnn_streams_readings_total")
                    || l.startsWith("kafka_stream_rnn_streams_dead_letters_out_of_order_total")
                    || l.startsWith("kafka_stream_rnn_streams_prequential_mse_avg")
                    || l.startsWith("rnn_reading_processing_seconds") || l.startsWith("# TYPE rnn_reading")
                    || l.startsWith("kafka_stream_thread_process_total"))
                    .forEach(l -> System.out.println("HttpApiIT: /metrics: " + l));
            System.out.printf("HttpApiIT: /metrics of instance 0: %d lines, %d bytes%n", metrics0.lines().count(),
                    metrics0.length());
            assertEquals(0.0, sum(metrics0, "kafka_stream_rnn_streams_dead_letters_deserialization_total"));
            assertTrue(metrics0.contains("kafka_stream_thread_process_total"), "Kafka Streams' own thread metrics");
            assertTrue(metrics0.contains("rnn_reading_processing_seconds_bucket{"), "the histogram's buckets");

            // instance 1 dies: asking instance 0 about one of its keys gives 503 + Retry-After until the key moves
            String orphan = owner.entrySet().stream().filter(e -> e.getValue() == 1).map(Map.Entry::getKey)
                    .findFirst().orElseThrow();
            jvms.get(1).kill();
            long killed = System.nanoTime();
            List<Integer> statuses = new ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> lastResponse =
                    new java.util.concurrent.atomic.AtomicReference<>();
            await("instance 0 to answer for " + orphan + " after instance 1 died", () -> {
                HttpResponse<String> r = get(urls[0] + "/sensors/" + orphan);
                statuses.add(r.statusCode());
                lastResponse.set(r);
                if (r.statusCode() == 503) {
                    if (statuses.size() == 1) {
                        System.out.printf("HttpApiIT: first answer after the kill: 503, Retry-After %s%n  %s%n",
                                r.headers().firstValue("Retry-After").orElse("-"), r.body());
                    }
                    assertStatus(r, 503, "unavailable");
                    assertEquals("2", r.headers().firstValue("Retry-After").orElse(""));
                    return false;
                }
                assertEquals(200, r.statusCode(), r.body());
                return true;
            });
            assertEquals(503, statuses.get(0), "right after the kill the metadata still names the dead owner");
            assertEquals(self[0], lastResponse.get().headers().firstValue("X-Rnn-Served-By").orElseThrow());
            assertEquals(R, MAPPER.readTree(lastResponse.get().body()).get("readings").asLong(),
                    "the survivor restored the key's state");
            System.out.printf("HttpApiIT: after the SIGKILL, %d answers of 503 then 200 from the survivor after "
                    + "%.1f s; total %.1f s%n", statuses.size() - 1, (System.nanoTime() - killed) / 1e9,
                    (System.nanoTime() - t0) / 1e9);
        } catch (Throwable e) {
            System.out.println("HttpApiIT failed; processor logs: " + jvms.get(0).logs() + ", " + jvms.get(1).logs());
            throw e;
        }
    }

    static String sensor(int k) {
        return "sensor-" + k;
    }

    static void produce(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < R; t++) {
                for (int k = 0; k < S; k++) {
                    producer.send(new ProducerRecord<>(topic, null, EndToEndIT.time(t), sensor(k),
                            EndToEndIT.reading(k, t)));
                }
            }
            producer.flush();
        }
    }

    /** The last committed value of every key of a changelog topic (tombstones remove the key). */
    static <T extends org.apache.avro.specific.SpecificRecord> Map<String, T> lastValues(String bootstrap, String topic,
                                                                                      AvroSerde<T> serde) {
        Map<String, T> out = new HashMap<>();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", false);
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic,
                    Duration.ofSeconds(30)).stream()
                    .map(pi -> new org.apache.kafka.common.TopicPartition(topic, pi.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        out.remove(key);
                    } else {
                        out.put(key, serde.deserializer().deserialize(topic, r.value()));
                    }
                }
            }
        }
        return out;
    }

    /** The sum of every sample of a metric (all label sets) in a Prometheus text exposition. */
    static double sum(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(exposition);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    static HttpResponse<String> get(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON body of a GET, or null while the server is not listening yet. */
    static JsonNode jsonOrNull(String url) {
        try {
            return MAPPER.readTree(get(url).body());
        } catch (java.io.UncheckedIOException | java.io.IOException e) {
            return null;
        }
    }

    static void assertStatus(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        try {
            JsonNode body = MAPPER.readTree(r.body());
            assertEquals(error, body.get("error").asText(), r.body());
            assertNotEquals(null, body.get("message"));
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
        assertFalse(r.body().contains("\tat "), "no stack trace");
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            for (ProcessorJvm jvm : jvms.all()) {
                if (!jvm.isAlive() && jvm.exitCode() != 137 && jvm.exitCode() != -1) {
                    throw new AssertionError("a processor JVM exited with " + jvm.exitCode() + " while waiting for "
                            + what + "; logs " + jvm.logs());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}

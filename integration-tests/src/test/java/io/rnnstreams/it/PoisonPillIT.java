package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import io.rnnstreams.stream.ForecastTopology;
import io.rnnstreams.stream.StreamsSensorQueries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 through a real broker under exactly-once:
 * <ul>
 *   <li>item 3, one Kafka Streams instance: a valid reading under a 700,000-byte key is a {@code KEY_TOO_LONG}
 *       dead letter with its key cut to 1,024 bytes (it made changelog and prediction records the producer
 *       refused, and stopped the application at every start); a reading with a 700,000-byte header and an
 *       {@code authorization} header gets a prediction that carries neither; the application stays RUNNING;</li>
 *   <li>{@code /health}: a stream thread stuck in one record is reported DOWN while Kafka Streams says RUNNING.</li>
 * </ul>
 */
@WithKafkaBroker
class PoisonPillIT {
    static final SingleObjectCodec<SensorReading> READINGS = SingleObjectCodec.of(SensorReading.class);

    @TempDir
    Path tmp;

    static byte[] reading(long eventTime, double v) {
        return READINGS.encode(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(eventTime))
                .setValues(List.of(v)).setTags(Map.of()).build());
    }

    @Test
    void longKeysAndLargeHeadersDoNotStopTheApplication(KafkaBroker broker) throws Exception {
        broker.admin().createTopics(List.of(new NewTopic("pp-readings", 1, (short) 1),
                new NewTopic("pp-predictions", 1, (short) 1),
                new NewTopic("pp-dead-letters", 1, (short) 1))).all().get();
        long now = System.currentTimeMillis();
        String longKey = "k".repeat(700_000);
        RecordHeaders headers = new RecordHeaders();
        headers.add("authorization", "Bearer secret".getBytes(StandardCharsets.UTF_8));
        headers.add("big", new byte[700_000]);
        List<ProducerRecord<byte[], byte[]>> sent = List.of(
                new ProducerRecord<>("pp-readings", 0, now, bytes(longKey), reading(now - 60_000, 1.0)),
                new ProducerRecord<>("pp-readings", 0, now, bytes("s"), reading(now - 50_000, 1.0), headers),
                new ProducerRecord<>("pp-readings", 0, now, bytes("s"), reading(now - 40_000, 2.0)));
        Map<String, Object> producerConfig = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : sent) {
                producer.send(r).get();
            }
        }
        AppConfig config = AppConfig.of(Map.of(
                "rnn.topic.input", "pp-readings",
                "rnn.topic.predictions", "pp-predictions",
                "rnn.topic.dead-letters", "pp-dead-letters",
                "rnn.model.hidden", "4",
                "application.id", "pp-" + UUID.randomUUID(),
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", tmp.toString()));
        StreamSettings settings = config.streamSettings();
        List<ConsumerRecord<byte[], byte[]>> predictions;
        List<ConsumerRecord<byte[], byte[]>> dead;
        KafkaStreams.State state;
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(settings),
                ForecastTopology.streamsProperties(settings, config.kafkaProperties()))) {
            streams.start();
            predictions = KafkaClients.awaitCommitted(broker.bootstrapServers(), "pp-predictions", 2,
                    Duration.ofMinutes(2));
            dead = KafkaClients.awaitCommitted(broker.bootstrapServers(), "pp-dead-letters", 1,
                    Duration.ofMinutes(2));
            state = streams.state();
        }
        assertEquals(KafkaStreams.State.RUNNING, state, "the application runs on");
        assertEquals(2, predictions.size(), "the two readings of s");
        for (ConsumerRecord<byte[], byte[]> p : predictions) {
            assertEquals("s", new String(p.key(), StandardCharsets.UTF_8));
            assertEquals(0, p.headers().toArray().length, "no input header on a prediction");
        }
        assertEquals(1, dead.size(), "one dead letter, for the long key");
        ConsumerRecord<byte[], byte[]> longOne = dead.stream()
                .filter(d -> DeadLetters.reason(d.headers()) == DeadLetterReason.KEY_TOO_LONG).findFirst()
                .orElseThrow();
        assertEquals(1024, longOne.key().length);
        System.out.println("PoisonPillIT: dead letters " + dead.stream().map(d -> DeadLetters.reason(d.headers()))
                .toList() + ", key cut to " + longOne.key().length + " bytes, " + predictions.size()
                + " predictions without headers, state " + state);
    }

    /**
     * {@code /health} (via {@link StreamsSensorQueries#running()}) reports a stuck stream thread as DOWN: a
     * processor blocked in one record for longer than {@code max.poll.interval.ms} (10 s here). Kafka Streams'
     * own state stays RUNNING meanwhile, which is all {@code /health} looked at before (it answered 200 UP
     * throughout an endless punctuator loop).
     */
    @Test
    void healthIsDownWhileAStreamThreadIsStuck(KafkaBroker broker) throws Exception {
        broker.createTopics(Map.of("pp-block", 1));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        org.apache.kafka.streams.Topology topology = new org.apache.kafka.streams.Topology();
        topology.addSource("in", new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer(), "pp-block");
        topology.addProcessor("block", () -> new org.apache.kafka.streams.processor.api.Processor<String, String,
                Void, Void>() {
            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, String> record) {
                if ("block".equals(record.value())) {
                    try {
                        release.await(2, java.util.concurrent.TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }, "in");
        java.util.Properties props = new java.util.Properties();
        props.put("application.id", "pp-health-" + UUID.randomUUID());
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("state.dir", tmp.resolve("health").toString());
        props.put("main.consumer.max.poll.interval.ms", "10000");
        AppConfig config = AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers()));
        try (KafkaStreams streams = new KafkaStreams(topology, props);
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                     new org.apache.kafka.common.serialization.StringSerializer(),
                     new org.apache.kafka.common.serialization.StringSerializer())) {
            StreamsSensorQueries queries = new StreamsSensorQueries(streams, config.streamSettings(), null,
                    io.rnnstreams.stream.Instance.parse("localhost:1"), Duration.ofSeconds(10));
            streams.start();
            producer.send(new ProducerRecord<>("pp-block", "k", "go")).get();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!queries.running() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(queries.running(), "UP once running: " + queries.state());
            producer.send(new ProducerRecord<>("pp-block", "k", "block")).get();
            Thread.sleep(25_000);
            KafkaStreams.State kafkaState = streams.state();
            boolean running = queries.running();
            String state = queries.state();
            release.countDown();
            System.out.println("PoisonPillIT: stuck thread: Kafka Streams state " + kafkaState + ", health "
                    + (running ? "UP" : "DOWN") + ": " + state);
            assertEquals(KafkaStreams.State.RUNNING, kafkaState, "Kafka Streams still says RUNNING");
            assertTrue(!running && state.contains("has not polled"), state);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

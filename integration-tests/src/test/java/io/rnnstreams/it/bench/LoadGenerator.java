package io.rnnstreams.it.bench;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes one-channel readings for K keys ({@code s-00000} ...), keys in round-robin order, with an idempotent
 * producer (acks=all, linger 5 ms). Each reading has a due time (when the open-loop generator was to send it) and an
 * event time, which is also its record timestamp: the due time in wall-clock milliseconds, raised where needed to
 * 1 ms after the key's previous reading (the application dead-letters readings whose event time does not increase),
 * so above 1,000 readings/s per key the event times run ahead of the due times. Every reading is entered in the
 * {@linkplain #ledger ledger} (its event time, due time and send time), from which the {@link PredictionCollector}
 * measures each output's latency from its reading's due time, not from its timestamp.
 *
 * <p>Not thread-safe: one thread sends.
 */
final class LoadGenerator implements AutoCloseable {
    private static final SingleObjectCodec<SensorReading> CODEC = SingleObjectCodec.of(SensorReading.class);

    /** A due time (nanoTime) meaning: no latency wanted for this reading. */
    private static final long UNTIMED = Long.MIN_VALUE;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String[] keys;
    private final SendLedger ledger;
    private final long[] sentPerKey;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;
    private int next;

    LoadGenerator(String bootstrap, String topic, int keys) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.keys = new String[keys];
        for (int k = 0; k < keys; k++) {
            this.keys[k] = key(k);
        }
        this.ledger = new SendLedger(this.keys);
        this.sentPerKey = new long[keys];
    }

    static String key(int k) {
        return String.format("s-%05d", k);
    }

    /** The first key (in key order) that the default partitioner sends to each partition, or null if none. */
    static String[] oneKeyPerPartition(int keys, int partitions) {
        String[] out = new String[partitions];
        for (int k = 0; k < keys; k++) {
            int p = Utils.toPositive(Utils.murmur2(key(k).getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
            if (out[p] == null) {
                out[p] = key(k);
            }
        }
        return out;
    }

    /** What this generator sent and the collector has not yet matched (for {@link PredictionCollector}). */
    SendLedger ledger() {
        return ledger;
    }

    /**
     * Sends {@code n} readings as fast as the producer takes them, each due when it is sent, untimed (the bursts count
     * outputs; their latency is not measured: {@link SendLedger#sentUntimed}).
     */
    void blast(long n) {
        ledger.timing(false);
        for (long i = 0; i < n; i++) {
            sendNext(System.currentTimeMillis(), UNTIMED);
        }
    }

    /**
     * Sends at {@code ratePerSecond} for {@code seconds}: reading i is due at start + i / rate; the thread
     * sleeps until the next one is due and sends every reading that is due. Returns how many it sent.
     */
    long paced(double ratePerSecond, double seconds) {
        long count = Math.max(1, Math.round(ratePerSecond * seconds));
        ledger.timing(true);
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        for (long i = 0; i < count; i++) {
            long dueNanos = startNanos + Math.round(i * 1e9 / ratePerSecond);
            // parkNanos may return early (spuriously): a reading is never sent before it is due
            for (long wait = dueNanos - System.nanoTime(); wait > 0; wait = dueNanos - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            sendNext(startMillis + TimeUnit.NANOSECONDS.toMillis(dueNanos - startNanos), dueNanos);
        }
        return count;
    }

    /** One reading for {@code key} (one of this generator's keys), due now. */
    void sendTo(String key) {
        for (int k = 0; k < keys.length; k++) {
            if (keys[k].equals(key)) {
                ledger.timing(true);
                send(k, System.currentTimeMillis(), System.nanoTime());
                return;
            }
        }
        throw new IllegalArgumentException("not a key of this generator: " + key);
    }

    private void sendNext(long dueMillis, long dueNanos) {
        send(next, dueMillis, dueNanos);
        next = (next + 1) % keys.length;
    }

    /**
     * One reading of key {@code k}, due at {@code dueMillis} (wall clock) = {@code dueNanos} (System.nanoTime), or
     * untimed if {@code dueNanos} is {@link #UNTIMED}.
     */
    private void send(int k, long dueMillis, long dueNanos) {
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("the producer failed", failed);
        }
        long eventTime = dueNanos == UNTIMED ? ledger.sentUntimed(k, dueMillis)
                : ledger.sent(k, dueMillis, dueNanos, System.nanoTime());
        long n = sentPerKey[k]++;
        double value = Math.sin(2 * Math.PI * n / (24 + k % 11)) * (1 + k % 5) + 0.05 * ((n * 7919 + k) % 13 - 6);
        byte[] bytes = CODEC.encode(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(eventTime))
                .setValues(List.of(value)).setTags(Map.of()).build());
        producer.send(new ProducerRecord<>(topic, null, eventTime, keys[k], bytes), (md, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
        sent++;
    }

    /** Waits until every reading sent so far is acknowledged; fails if any was not. */
    void flush() {
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("the producer failed", failed);
        }
    }

    long sent() {
        return sent;
    }

    long sentTo(String key) {
        for (int k = 0; k < keys.length; k++) {
            if (keys[k].equals(key)) {
                return sentPerKey[k];
            }
        }
        throw new IllegalArgumentException("not a key of this generator: " + key);
    }

    /** The event time of the last reading sent to {@code key}. */
    long lastEventTimeOf(String key) {
        for (int k = 0; k < keys.length; k++) {
            if (keys[k].equals(key)) {
                return ledger.lastEventTime(k);
            }
        }
        throw new IllegalArgumentException("not a key of this generator: " + key);
    }

    /** The latest event time given to any reading. */
    long maxEventTime() {
        return ledger.maxEventTime();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }
}

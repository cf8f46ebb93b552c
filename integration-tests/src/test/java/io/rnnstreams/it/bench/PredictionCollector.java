package io.rnnstreams.it.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads an output topic from its beginning on a background thread with a read_committed consumer (so under
 * exactly-once a prediction counts only once its transaction has committed) and records, in arrival order, each
 * record's receive time (wall clock, ms, for rates) and, matched to its reading through the generator's
 * {@link SendLedger}, its latency from the reading's due time and from its send time (monotonic clock, µs; the
 * receive time is when the poll that returned the record returned). A record that matches no reading has no latency
 * ({@link #latencies} leaves it out; {@link SendLedger#unmatched} counts it). Keeps the value of records whose key is
 * {@linkplain #watch watched}.
 */
final class PredictionCollector implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Object lock = new Object();
    private final Map<String, Map<Long, byte[]>> watched = new ConcurrentHashMap<>();
    private final SendLedger ledger;
    private long[] receivedAt = new long[1 << 16];
    /**
     * Latency from the due time and from the send time, µs (an int holds 35 min, beyond any phase's timeout; 16 bytes
     * per record with the receive time, as one latency in ms took before); {@link #NONE} for an unmatched record.
     */
    private int[] fromDue = new int[1 << 16];
    private int[] fromSend = new int[1 << 16];
    private int count;
    private volatile Throwable failure;
    private volatile boolean closing;

    private static final int NONE = Integer.MIN_VALUE;

    /** Reads {@code topic}, whose records are the outputs of the readings entered in {@code ledger}. */
    PredictionCollector(String bootstrap, String topic, SendLedger ledger) {
        this.ledger = ledger;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(pi -> new TopicPartition(topic, pi.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::loop, "prediction-collector-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!closing) {
                var records = consumer.poll(Duration.ofMillis(100));
                long nowNanos = System.nanoTime();
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> r : records) {
                    Map<Long, byte[]> w = watched.get(r.key());
                    if (w != null) {
                        w.put(r.timestamp(), r.value());
                    }
                    SendLedger.Latency latency = ledger.received(r.key(), r.timestamp(), nowNanos);
                    synchronized (lock) {
                        if (count == receivedAt.length) {
                            receivedAt = Arrays.copyOf(receivedAt, count * 2);
                            fromDue = Arrays.copyOf(fromDue, count * 2);
                            fromSend = Arrays.copyOf(fromSend, count * 2);
                        }
                        receivedAt[count] = now;
                        fromDue[count] = latency == null ? NONE : micros(latency.fromDueMicros());
                        fromSend[count] = latency == null ? NONE : micros(latency.fromSendMicros());
                        count++;
                        lock.notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
            synchronized (lock) {
                lock.notifyAll();
            }
        } finally {
            consumer.close();
        }
    }

    /** Keep the values of records with this key from now on (record timestamp -> value). */
    void watch(String key) {
        watched.putIfAbsent(key, new ConcurrentHashMap<>());
    }

    /** The value of the watched key's record with this timestamp, or null if none has arrived. */
    byte[] watchedValue(String key, long timestamp) {
        Map<Long, byte[]> w = watched.get(key);
        return w == null ? null : w.get(timestamp);
    }

    int count() {
        synchronized (lock) {
            return count;
        }
    }

    /** Waits until at least {@code n} records have arrived; returns the receive time (ms) of the n-th. */
    long awaitCount(int n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (count < n) {
                if (failure != null) {
                    throw new IllegalStateException("the prediction consumer failed", failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("only " + count + " of " + n + " records after " + timeout);
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return receivedAt[n - 1];
        }
    }

    /** Receive time (ms) of record i (0-based, arrival order). */
    long receivedAt(int i) {
        synchronized (lock) {
            return receivedAt[i];
        }
    }

    /**
     * Latencies (µs) of the records [from, to) in arrival order that matched a reading: from their readings' due times,
     * or, if {@code fromSendTime}, from their send times.
     */
    long[] latencies(int from, int to, boolean fromSendTime) {
        synchronized (lock) {
            return Arrays.stream(fromSendTime ? fromSend : fromDue, from, to).filter(l -> l != NONE)
                    .asLongStream().toArray();
        }
    }

    /** A latency in µs as an int, saturated (never {@link #NONE}). */
    private static int micros(long micros) {
        return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, micros));
    }

    /** Stops the reading thread and closes the consumer (waits up to 10 s). */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

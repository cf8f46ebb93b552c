package io.rnnstreams.it.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The readings that the {@link LoadGenerator} sent and whose output records the {@link PredictionCollector} has not
 * yet received: per key, in send order, each reading's event time, due time and send time. When its output arrives,
 * the reading's latency is measured from its <b>due time</b> (when the open-loop generator was to send it: a generator
 * that falls behind adds to the latency instead of hiding it, no coordinated omission) and from its <b>send time</b>
 * (when it was handed to the producer; the difference is the generator's own lag), both on this JVM's monotonic clock
 * ({@link System#nanoTime}), in microseconds.
 *
 * <p>Never from the record timestamp: a reading's event time (which the processor copies into its prediction's
 * record timestamp, and the baseline passes through) is its due time in wall-clock milliseconds, raised where needed
 * to 1 ms after the key's previous reading (the processor dead-letters a reading whose event time does not increase,
 * {@link #sent}). Above 1,000 readings/s per key the event times therefore run ahead of the due times, by 1 ms per
 * reading minus the due spacing, and "receive time - record timestamp" went negative (docs/performance.md, lat18).
 *
 * <p>Matching: the output records of one key arrive in the order its readings were sent (one partition, an
 * idempotent producer, one output per reading stamped with the reading's event time, which increases per key), so a
 * record (key, timestamp) is the key's oldest pending reading with that event time. Pending readings of the key
 * with an earlier event time are dropped and counted as {@linkplain #missed missed} (no output came for them: a dead
 * letter, a lost record); a record older than the key's oldest pending reading, or of a key this ledger does not
 * know, is counted as {@linkplain #unmatched unmatched} (a duplicate, another producer's) and has no latency.
 * Memory: 24 bytes per reading in flight; each key's ring grows to its largest backlog and is reused.
 *
 * <p>Thread-safe for one sending thread and one receiving thread.
 */
final class SendLedger {
    /** The latencies of one matched output record, in microseconds. */
    record Latency(long fromDueMicros, long fromSendMicros) {
    }

    private final Map<String, Integer> index = new HashMap<>();
    private final long[] lastEventTime;
    private final Ring[] pending;
    private final AtomicLong missed = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private volatile boolean timing = true;

    /** A ledger for these keys (a reading's key is its index in {@code keys}). */
    SendLedger(String[] keys) {
        lastEventTime = new long[keys.length];
        pending = new Ring[keys.length];
        for (int k = 0; k < keys.length; k++) {
            if (index.put(keys[k], k) != null) {
                throw new IllegalArgumentException("duplicate key " + keys[k]);
            }
            lastEventTime[k] = Long.MIN_VALUE;
            pending[k] = new Ring();
        }
    }

    /**
     * Records a reading of key {@code k} that was due at {@code dueMillis} (wall clock) = {@code dueNanos}
     * ({@link System#nanoTime}) and handed to the producer at {@code sentNanos}; returns its event time: the due time
     * in milliseconds, raised to 1 ms after the key's previous reading. Sending thread only.
     */
    long sent(int k, long dueMillis, long dueNanos, long sentNanos) {
        long eventTime = Math.max(dueMillis, lastEventTime[k] + 1);
        lastEventTime[k] = eventTime;
        pending[k].add(eventTime, dueNanos, sentNanos);
        return eventTime;
    }

    /**
     * Records a reading of key {@code k} whose latency is not wanted (the max-throughput bursts, which count outputs
     * and need no matching); returns its event time, by the rule of {@link #sent}. Only that: no entry, no lock, and
     * the collector's {@link #received} does nothing while the ledger is {@linkplain #timing not timing}, so the
     * harness does the same work per burst reading as before the ledger (it shares the machine's cores with the broker
     * and the application, and a burst of the baseline sends three times the readings of the learner's). Sending
     * thread only.
     */
    long sentUntimed(int k, long dueMillis) {
        long eventTime = Math.max(dueMillis, lastEventTime[k] + 1);
        lastEventTime[k] = eventTime;
        return eventTime;
    }

    /**
     * Whether outputs are matched ({@link #received}): on for the phases whose latency is measured, off for the bursts.
     * A phase starts only once every output of the one before it arrived, so no output is received across a switch.
     */
    void timing(boolean on) {
        timing = on;
    }

    /**
     * Matches an output record of {@code key} stamped {@code timestamp}, received at {@code receivedNanos}
     * ({@link System#nanoTime}): its reading's latencies, or null if it matches no pending reading.
     */
    Latency received(String key, long timestamp, long receivedNanos) {
        if (!timing) {
            return null;
        }
        Integer k = index.get(key);
        if (k == null) {
            unmatched.incrementAndGet();
            return null;
        }
        Ring ring = pending[k];
        synchronized (ring) {
            while (ring.size > 0 && ring.eventTime[ring.head] < timestamp) {
                ring.pop();
                missed.incrementAndGet();
            }
            if (ring.size == 0 || ring.eventTime[ring.head] != timestamp) {
                unmatched.incrementAndGet();
                return null;
            }
            Latency latency = new Latency((receivedNanos - ring.dueNanos[ring.head]) / 1_000,
                    (receivedNanos - ring.sentNanos[ring.head]) / 1_000);
            ring.pop();
            return latency;
        }
    }

    /** The event time of the last reading sent to key {@code k}. Sending thread only. */
    long lastEventTime(int k) {
        return lastEventTime[k];
    }

    /** The latest event time given to any reading, or Long.MIN_VALUE before the first. Sending thread only. */
    long maxEventTime() {
        long max = Long.MIN_VALUE;
        for (long t : lastEventTime) {
            max = Math.max(max, t);
        }
        return max;
    }

    /** Readings whose output never came (a later output of the same key arrived first). */
    long missed() {
        return missed.get();
    }

    /** Output records that matched no pending reading (duplicates, unknown keys or timestamps). */
    long unmatched() {
        return unmatched.get();
    }

    /** Readings sent and neither matched nor missed yet. */
    long pending() {
        long n = 0;
        for (Ring ring : pending) {
            synchronized (ring) {
                n += ring.size;
            }
        }
        return n;
    }

    /** One key's pending readings in send order: a ring of three parallel arrays that doubles when full. */
    private static final class Ring {
        long[] eventTime = new long[16];
        long[] dueNanos = new long[16];
        long[] sentNanos = new long[16];
        int head;
        int size;

        synchronized void add(long event, long due, long sent) {
            if (size == eventTime.length) {
                eventTime = unwrap(eventTime);
                dueNanos = unwrap(dueNanos);
                sentNanos = unwrap(sentNanos);
                head = 0;
            }
            int tail = (head + size) % eventTime.length;
            eventTime[tail] = event;
            dueNanos[tail] = due;
            sentNanos[tail] = sent;
            size++;
        }

        /** The full ring's entries in order at the start of an array twice its length. */
        private long[] unwrap(long[] a) {
            long[] b = new long[a.length * 2];
            System.arraycopy(a, head, b, 0, a.length - head);
            System.arraycopy(a, 0, b, a.length - head, head);
            return b;
        }

        /** Drops the oldest entry (the caller holds the lock). */
        void pop() {
            head = (head + 1) % eventTime.length;
            size--;
        }
    }
}

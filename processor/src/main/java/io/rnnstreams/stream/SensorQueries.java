package io.rnnstreams.stream;

import java.util.List;
import java.util.Optional;

/**
 * Read-only questions about sensor keys, answered from this instance's state stores (Kafka Streams'
 * interactive queries). Knows where each key lives; the caller (the HTTP layer) decides how to reach other
 * instances. Every method may be called from any thread.
 */
public interface SensorQueries {
    /** The longest key (in UTF-16 characters) a query accepts: {@code /sensors/{id}}, {@code ?after=}. */
    int MAX_QUERYABLE_KEY_LENGTH = 1024;

    /**
     * Whether a query can name {@code key}: not empty, at most {@link #MAX_QUERYABLE_KEY_LENGTH} characters,
     * no control character. {@link #localKeys} lists only such keys.
     */
    static boolean queryable(String key) {
        if (key.isEmpty() || key.length() > MAX_QUERYABLE_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Where a key's state lives. */
    sealed interface Location permits Local, Remote, Unavailable {
    }

    /** Held by this instance (in store partition {@code partition}): ask {@link #summary} and {@link #forecast}. */
    record Local(int partition) implements Location {
    }

    /** Held by another instance, which answers at {@code instance}. */
    record Remote(Instance instance) implements Location {
    }

    /** Not known right now (rebalancing, or not running): retry later. */
    record Unavailable(String reason) implements Location {
    }

    /** Where {@code key}'s state is. */
    Location locate(String key);

    /**
     * The key's summary from this instance's stores; empty if the key has no state.
     *
     * @throws QueryUnavailableException if the store cannot be read now (rebalance, restoration)
     */
    Optional<SensorSummary> summary(String key);

    /**
     * The next {@code steps} readings of the key, rolled forward from its stored state on the model's own
     * outputs ({@code [0]} is the forecast made at its last reading, {@code [k][channel]}); the stored state is
     * not changed. A key the hybrid learner runs ({@code rnn.learner=hybrid}) has the one-step forecast made at its
     * last reading. Empty if the key has no state (or one the settings cannot read).
     *
     * @throws IllegalArgumentException  if {@code steps < 1}, or {@code steps > 1} for a hybrid key (its message
     *                                   says why)
     * @throws QueryUnavailableException if the stores cannot be read now
     */
    Optional<double[][]> forecast(String key, int steps);

    /**
     * Up to {@code limit} keys held by this instance that sort after {@code after} (null: from the first), in
     * the order of their UTF-8 bytes (unsigned), which is the stores' order. Keys a query cannot name (see
     * {@link #queryable}) are skipped.
     *
     * @throws QueryUnavailableException if a store cannot be read now
     */
    List<String> localKeys(String after, int limit);

    /**
     * The other instances that hold part of the state, to ask for their keys.
     *
     * @throws QueryUnavailableException if the metadata is not known now
     */
    List<Instance> otherInstances();

    /** This instance's query endpoint. */
    Instance self();

    /** Kafka Streams' state, e.g. RUNNING, REBALANCING. */
    String state();

    /** Whether Kafka Streams is RUNNING (every assigned task ready). */
    boolean running();

    /** Stream partitions whose tasks are active here. */
    List<Integer> localPartitions();

    /** The key order of {@link #localKeys}: unsigned comparison of the keys' UTF-8 bytes. */
    static int compareKeys(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}

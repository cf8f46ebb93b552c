package io.rnnstreams.stream;

import io.rnnstreams.learner.HybridForecaster;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hybrid key states a stream task wrote last, kept as it wrote them (the {@link KeyStateWrite} it handed the
 * key-state store and the learner's {@link HybridForecaster.KeyState} it was made from), so that a key's next reading
 * skips the key-state store's read: the record's build or its Avro decoding, the conversion to the compact form, the
 * learner's restore and the sensor state's decoding. The store still writes the record, built and encoded once per
 * commit ({@link PendingWritesStore}). At most {@code capacity} keys, the least recently written dropped first; a key
 * not held reads the store (its pending write, else its stored record) as before, with the same results (the
 * learner's state after a reading is exactly the restore of its export: {@link HybridForecaster#observe} ends by
 * reading its export back; the sensor and interval states are copied, as a decode of the record gives them).
 *
 * <p><b>It never holds a state the store does not (pending or stored).</b> A key enters only right after the store's
 * {@code putAtCommit} of the same write ({@link #keep}), and leaves before its state is changed ({@link #take} at the
 * start of the key's reading: if the reading then fails half-way, nothing of it is held) or deleted
 * ({@link #forget}, which the idle-key punctuator calls with the store's {@code delete}, which drops the pending
 * write). The processor is the store's only writer; the store's content changes otherwise only when Kafka Streams
 * restores or wipes it, and it does that only while the task is closed: under exactly-once a failed commit (or a
 * fenced producer, a corrupted task, a migration) closes the task dirty, which writes the store's pending writes into
 * the aborted transaction and the wiped store (see {@link PendingWritesStore}) and calls the processor's {@code
 * close}, and revives it, which calls its {@code init}: the processor {@link #clear}s
 * the held states in both, so the revived task reads the store that was rolled back to the last commit. The held
 * states are task-local and not thread-safe (one stream thread runs the task).
 *
 * <p><b>A held state is its pending write's content.</b> The hybrid's write exports the held state only when the store
 * builds the record (at the commit, or for a key read back from the store); so the state must not change while its
 * write may still be built: a held state changes only at its key's next reading (taken out, then the reading's own
 * write replaces the old one in the store), and a state dropped for the bound builds its write before it becomes the
 * {@link #spare} that a restore overwrites. The same holds for the write's sensor and prediction-interval states,
 * which the key's next reading changes in place too ({@link KeyStateWrite#sensorState}; branch tput18m). A reading
 * that fails half-way may have changed the states under the old write, which is still pending; the processor then
 * drops that write ({@link PendingWritesStore#dropPending}): Kafka
 * Streams 4.3 flushes the caches of a task it closes dirty too ({@code TaskManager.closeTaskDirty} calls {@code
 * prepareCommit(false)}), which would build it, and under at_least_once store the learner's state after the failed
 * reading beside the sensor state before it (branch rev20, {@code HeldStatesBetweenCommitsTest}).
 *
 * <p>The bound: {@code rnn.state.held-keys} keys per task (1,000 by default); a held key costs ~10 KB
 * of heap at D = 1, H = 32 (measured: 9,930 bytes per key over 5,000 keys, against a stored record of 1,354 bytes:
 * the learner's state in doubles, its compact export and the record's packed copy), so at most ~10 MB per task; at
 * larger {@code D} or {@code H} the cost grows with the key's stored state ({@link HybridForecaster#keyStateSize}).
 * Beyond the bound a key reads the store as before (keys read in turn, more than the bound per task: every reading).
 */
final class HeldKeyStates {
    /**
     * One key's state as written.
     *
     * @param write what the key-state store writes (or wrote) for the key
     * @param state the learner's state that {@code write}'s hybrid part was exported from
     */
    record Held(KeyStateWrite write, HybridForecaster.KeyState state) {
    }

    private final int capacity;
    private final Map<String, Held> held;
    /** The state of the last key dropped for the bound, for the next restore to reuse; null if none. */
    private HybridForecaster.KeyState spare;

    /** @param capacity keys held at most; 0 holds none (every reading reads the store) */
    HeldKeyStates(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.held = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                if (size() > HeldKeyStates.this.capacity) {
                    // its write (if still pending) is exported from the state: build it before a restore reuses it
                    eldest.getValue().write().get();
                    spare = eldest.getValue().state();
                    return true;
                }
                return false;
            }
        };
    }

    /** Removes and returns {@code key}'s held state, or null if it is not held. */
    Held take(String key) {
        return held.remove(key);
    }

    /**
     * Holds {@code key}'s state as just handed to the store; {@code state} must not change while held. Drops the
     * least recently kept key beyond the capacity (its state becomes the {@link #spare}).
     */
    void keep(String key, KeyStateWrite write, HybridForecaster.KeyState state) {
        held.put(key, new Held(write, state));
    }

    /** Puts back a state {@link #take taken} for a reading that changed nothing (a dead letter); null does nothing. */
    void putBack(String key, Held taken) {
        if (taken != null) {
            held.put(key, taken);
        }
    }

    /** Forgets {@code key}'s state: the store's entry was deleted. */
    void forget(String key) {
        held.remove(key);
    }

    /**
     * A learner state no key holds any more (the last one dropped for the bound), for a restore to overwrite, or
     * null; each is returned once.
     */
    HybridForecaster.KeyState spare() {
        HybridForecaster.KeyState s = spare;
        spare = null;
        return s;
    }

    /** Forgets every held state: the task is (re)initialised or closed, its store may be rolled back. */
    void clear() {
        held.clear();
        spare = null;
    }

    /** Keys held now. */
    int size() {
        return held.size();
    }
}

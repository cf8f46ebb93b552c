package io.rnnstreams.stream;

import io.rnnstreams.learner.HybridForecaster;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hybrid key states a stream task wrote last, kept as it wrote them (the {@link KeyStateWrite} it handed the
 * key-state store and the learner's {@link HybridForecaster.KeyState} it was made from), so that a key's next reading
 * skips the key-state store's read: the record's build or its Avro decoding, the conversion to the compact form, the
 * learner's restore and the sensor state's decoding. The store still writes the record, built and encoded once per
 * commit ({@link PendingWritesStore}). At most {@code capacity} keys, the one least recently read dropped first; a key
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
 * <p><b>One lookup per reading.</b> A key's place in the map stays when its state is taken: {@link #take} empties it
 * (a get, which moves it last in the order of the bound), and the reading's {@link #keep} fills it again without a
 * second lookup (branch tput18m; a remove and a put before, with a new entry per reading). The order in which keys
 * are dropped for the bound is the order of their last readings, as before. A key taken and not kept again (its
 * reading failed half-way) keeps an empty place: it holds nothing, and counts against the bound until its key's next
 * reading fills it, the bound drops it or {@link #forget} or {@link #clear} removes it.
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

    /** A key's place in the map: its held state, or none (taken and not kept again) while both are null. */
    private static final class Slot {
        KeyStateWrite write;
        HybridForecaster.KeyState state;

        Slot(KeyStateWrite write, HybridForecaster.KeyState state) {
            this.write = write;
            this.state = state;
        }
    }

    private final int capacity;
    /** In the order of the keys' last {@link #take} or first {@link #keep} (access order: a take moves it last). */
    private final Map<String, Slot> held;
    /** The key last taken and its slot (null if it had none), for its keep or put-back to fill without a lookup. */
    private String takenKey;
    private Slot takenSlot;
    /** The state of the last key dropped for the bound, for the next restore to reuse; null if none. */
    private HybridForecaster.KeyState spare;

    /** @param capacity keys held at most; 0 holds none (every reading reads the store) */
    HeldKeyStates(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.held = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                if (size() > HeldKeyStates.this.capacity) {
                    Slot slot = eldest.getValue();
                    if (slot.write != null) {
                        // its write (if still pending) is exported from the state: build it before a restore reuses it
                        slot.write.get();
                        spare = slot.state;
                    }
                    if (slot == takenSlot) {
                        takenSlot = null;
                        takenKey = null;
                    }
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Removes and returns {@code key}'s held state, or null if it is not held: the key keeps its place (now last in
     * the order of the bound) but holds nothing until {@link #keep} or {@link #putBack} fills it.
     */
    Held take(String key) {
        Slot slot = held.get(key);
        takenKey = key;
        takenSlot = slot;
        if (slot == null || slot.write == null) {
            return null;
        }
        Held taken = new Held(slot.write, slot.state);
        slot.write = null;
        slot.state = null;
        return taken;
    }

    /**
     * Holds {@code key}'s state as just handed to the store; {@code state} must not change while held. The key last
     * {@link #take taken} fills its own place (no lookup; it is last in the order already); any other key is added
     * last, and the least recently taken or added key beyond the capacity is dropped (its state becomes the
     * {@link #spare}).
     */
    void keep(String key, KeyStateWrite write, HybridForecaster.KeyState state) {
        Slot slot = takenSlot;
        if (slot != null && key.equals(takenKey)) {
            slot.write = write;
            slot.state = state;
        } else {
            held.put(key, new Slot(write, state));
        }
        takenKey = null;
        takenSlot = null;
    }

    /** Puts back a state {@link #take taken} for a reading that changed nothing (a dead letter); null does nothing. */
    void putBack(String key, Held taken) {
        if (taken != null) {
            keep(key, taken.write(), taken.state());
        }
    }

    /** Forgets {@code key}'s state: the store's entry was deleted. */
    void forget(String key) {
        Slot slot = held.remove(key);
        if (slot != null && slot == takenSlot) {
            takenKey = null;
            takenSlot = null;
        }
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
        takenKey = null;
        takenSlot = null;
        spare = null;
    }

    /** Keys held now (not counting keys taken and not kept again). */
    int size() {
        int n = 0;
        for (Slot slot : held.values()) {
            if (slot.write != null) {
                n++;
            }
        }
        return n;
    }

    /** Keys with a place in the map, holding a state or not: at most the capacity. */
    int places() {
        return held.size();
    }
}

package io.rnnstreams.learner;

/**
 * Which keys share weights.
 *
 * <ul>
 *   <li>{@link #KEY}: every sensor has its own weights and optimizer state. Best when sensors behave
 *       differently; costs {@code 3P} doubles of state per key (weights and Adam moments) and writes
 *       them to the changelog after each of the key's updates (every {@code k1} of its readings).</li>
 *   <li>{@link #SHARED}: one set of weights per stream task, trained on the windows of all its keys;
 *       each key keeps its own hidden state, window and normaliser. Learns faster from many similar
 *       sensors and stores only {@code O(k2 (D + O) + S)} per key, but every key's update moves the
 *       forecasts of the task's other keys.</li>
 * </ul>
 */
public enum ModelScope {
    KEY, SHARED;

    /** The model store's key of the one model every key shares under {@link #SHARED}. */
    public static final String SHARED_STORE_KEY = "shared";

    /** The model store's key of {@code key}'s model under this scope: the key itself, or {@link #SHARED_STORE_KEY}. */
    public String storeKey(String key) {
        return this == KEY ? key : SHARED_STORE_KEY;
    }
}

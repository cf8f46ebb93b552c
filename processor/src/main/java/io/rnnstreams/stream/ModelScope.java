package io.rnnstreams.stream;

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
    KEY, SHARED
}

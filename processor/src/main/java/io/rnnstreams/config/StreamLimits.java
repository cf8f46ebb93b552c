package io.rnnstreams.config;

import java.time.Duration;

/**
 * Bounds that keep one record or one setting from stopping the application (issue 12): how far ahead of the
 * wall clock an event time may be, how long a key may be, and how many bytes of deserialised models one
 * instance may keep. Validated on construction with messages naming the setting.
 *
 * @param maxAhead        a reading whose event time is more than this ahead of the wall clock is a dead letter
 *                        ({@code rnn.time.max-ahead}); must stay below the broker's
 *                        {@code message.timestamp.after.max.ms} (1 h by default), which refuses outputs
 *                        stamped further ahead
 * @param maxKeyBytes     a record whose key is longer than this in UTF-8 bytes is a dead letter
 *                        ({@code rnn.input.max-key-bytes})
 * @param modelCacheBytes key scope: bytes of deserialised models kept in memory per instance, all stream
 *                        threads together ({@code rnn.model.cache-bytes})
 * @param heldKeys        hybrid learner: key states each stream task keeps in memory after storing them, so that
 *                        the key's next reading skips the store's read ({@code rnn.state.held-keys}; 0: none)
 */
public record StreamLimits(Duration maxAhead, int maxKeyBytes, long modelCacheBytes, int heldKeys) {
    /** The defaults of {@link Settings#TIME_MAX_AHEAD}, {@link Settings#INPUT_MAX_KEY_BYTES},
     * {@link Settings#MODEL_CACHE_BYTES} and {@link Settings#STATE_HELD_KEYS}. */
    public static final StreamLimits DEFAULTS = new StreamLimits(Duration.ofMinutes(10), 1024, 256L << 20, 1_000);

    /** A copy in which each task holds at most {@code keys} key states ({@link #heldKeys}). */
    public StreamLimits withHeldKeys(int keys) {
        return new StreamLimits(maxAhead, maxKeyBytes, modelCacheBytes, keys);
    }

    public StreamLimits {
        if (maxAhead == null || maxAhead.isNegative() || maxAhead.isZero()) {
            throw new IllegalArgumentException("rnn.time.max-ahead must be a positive duration, got " + maxAhead);
        }
        if (maxKeyBytes < 1) {
            throw new IllegalArgumentException("rnn.input.max-key-bytes must be >= 1, got " + maxKeyBytes);
        }
        if (modelCacheBytes < 1) {
            throw new IllegalArgumentException("rnn.model.cache-bytes must be >= 1, got " + modelCacheBytes);
        }
        if (heldKeys < 0) {
            throw new IllegalArgumentException("rnn.state.held-keys must be >= 0, got " + heldKeys);
        }
    }

    /** The latest event time accepted at wall-clock time {@code now}, without overflowing. */
    public long latestEventTime(long now) {
        long ahead = maxAhead.toMillis();
        return now > Long.MAX_VALUE - ahead ? Long.MAX_VALUE : now + ahead;
    }
}

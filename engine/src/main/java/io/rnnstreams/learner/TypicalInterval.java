package io.rnnstreams.learner;

/**
 * When a pause in a key's readings is a gap that should reset its recurrent state, relative to the key's
 * own rhythm: a pause longer than {@code multiple} times the median of the key's last
 * {@value #REMEMBERED} intervals between readings. Until {@value #MIN_INTERVALS} intervals are known the
 * fixed {@code fallbackMs} decides (the {@code rnn.time.gap-reset} setting). With the default multiple 3, an
 * hourly sensor that misses one or two readings (a 2 h or 3 h pause) keeps its state; a day's outage resets
 * it. Every interval, gap or not, enters the median (a median of 5 ignores up to two odd ones).
 *
 * <p>Duplicate and earlier timestamps never reach this class: the processor dead-letters a reading whose
 * event time is not after the key's last one.
 *
 * <p>State: {@link #STATE_SIZE} longs {@code [count, i_1..i_5]} (the intervals in milliseconds, a ring),
 * kept by the caller per key.
 */
public final class TypicalInterval {
    /** Intervals remembered. */
    public static final int REMEMBERED = 5;
    /** Intervals needed before the median decides. */
    public static final int MIN_INTERVALS = 3;
    /** Longs of state. */
    public static final int STATE_SIZE = REMEMBERED + 1;

    private final double multiple;
    private final long fallbackMs;

    public TypicalInterval(double multiple, long fallbackMs) {
        if (!(multiple > 1)) {
            throw new IllegalArgumentException("gap multiple must be > 1, got " + multiple);
        }
        if (fallbackMs <= 0) {
            throw new IllegalArgumentException("fallback gap must be > 0 ms, got " + fallbackMs);
        }
        this.multiple = multiple;
        this.fallbackMs = fallbackMs;
    }

    /**
     * Whether a pause of {@code intervalMs} since the key's previous reading is a gap; then remembers it.
     *
     * @param state      {@link #STATE_SIZE} longs, updated in place
     * @param intervalMs event time minus the previous reading's, > 0
     */
    public boolean isGap(long[] state, long intervalMs) {
        boolean gap = intervalMs > limitMs(state);
        long count = state[0];
        state[1 + (int) (count % REMEMBERED)] = intervalMs;
        state[0] = count + 1;
        return gap;
    }

    /** The longest pause that is not a gap, given what the state remembers. */
    public long limitMs(long[] state) {
        if (Math.min(state[0], REMEMBERED) < MIN_INTERVALS) {
            return fallbackMs;
        }
        return (long) Math.min(Long.MAX_VALUE / 2.0, multiple * median(state));
    }

    /**
     * The key's typical interval between readings: the median of the intervals the state remembers (however
     * few), rounded to whole milliseconds; 0 when it remembers none (a key's first reading). The step of the
     * predictions' forecast times.
     */
    public static long typicalMs(long[] state) {
        return state[0] == 0 ? 0 : Math.round(median(state));
    }

    /**
     * The median of the (1 to {@value #REMEMBERED}) intervals the state remembers: the middle one, or the mean of the
     * two middle ones. Picked without sorting a copy (it runs twice per reading): at most 25 comparisons.
     */
    static double median(long[] state) {
        int known = (int) Math.min(state[0], REMEMBERED);
        return known % 2 == 1 ? orderStatistic(state, known, known / 2)
                : (orderStatistic(state, known, known / 2 - 1) + orderStatistic(state, known, known / 2)) / 2.0;
    }

    /** The {@code k}-th smallest (0-based) of the state's first {@code known} intervals. */
    private static long orderStatistic(long[] state, int known, int k) {
        for (int i = 1; i <= known; i++) {
            long v = state[i];
            int less = 0;
            int equal = 0;
            for (int j = 1; j <= known; j++) {
                if (state[j] < v) {
                    less++;
                } else if (state[j] == v) {
                    equal++;
                }
            }
            if (less <= k && k < less + equal) {
                return v;
            }
        }
        throw new IllegalStateException("no " + k + "-th of " + known + " intervals"); // cannot happen
    }
}

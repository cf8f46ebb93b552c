package io.rnnstreams.eval.detection;

/**
 * The settings of {@link AnomalyDetector}, validated on construction.
 *
 * @param shortWindow readings in the short exponentially weighted mean of the readings (the level test), >= 1
 * @param longWindow  readings in the long windows: the normal level, the spreads and the score fits, > short
 * @param warmup      normal readings learned before the score counts (the warm-up flag is set until then); the
 *                    level reference is learned from the readings after them, >= 2
 * @param threshold   a score at or above it flags the reading; the alarm threshold, in (0, 1 - 1e-12] (where the
 *                    score is {@code 1 - p}, {@link AnomalyDetector#EXACT_P})
 * @param quiet       readings below the threshold that re-arm the alarm after one was raised (one alarm per
 *                    event); also the readings in a row an event's level statistic must stay below a thirtieth
 *                    of its peak before the level it left is taken as the new normal, >= 1
 * @param holdLimit   consecutive flagged readings after which they are learned anyway (the new normal), >= 1
 * @param quarantine  whether flagged readings are kept out of the normal statistics (until {@code holdLimit})
 */
public record DetectorConfig(int shortWindow, int longWindow, int warmup, double threshold, int quiet,
                             int holdLimit, boolean quarantine) {
    /** The defaults. */
    public static final DetectorConfig DEFAULTS = new DetectorConfig(10, 3000, 100, 0.9999, 30, 1000, true);

    public DetectorConfig {
        require(shortWindow >= 1, "short window must be >= 1, got " + shortWindow);
        require(longWindow > shortWindow, "long window must be > short window (" + shortWindow + "), got "
                + longWindow);
        require(warmup >= 2, "warm-up must be >= 2 readings, got " + warmup);
        require(threshold > 0 && threshold <= 1 - AnomalyDetector.EXACT_P,
                "threshold must be in (0, 1 - 1e-12] (beyond it the score ranks, it is not 1 - p), got " + threshold);
        require(quiet >= 1, "quiet readings must be >= 1, got " + quiet);
        require(holdLimit >= 1, "hold limit must be >= 1, got " + holdLimit);
    }

    public DetectorConfig withQuarantine(boolean on) {
        return new DetectorConfig(shortWindow, longWindow, warmup, threshold, quiet, holdLimit, on);
    }

    public DetectorConfig withThreshold(double t) {
        return new DetectorConfig(shortWindow, longWindow, warmup, t, quiet, holdLimit, quarantine);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

package io.rnnstreams.eval.detection;

import java.util.List;

/**
 * A cost matrix of the Numenta Anomaly Benchmark (NAB; Lavin and Ahmad 2015; numenta/NAB
 * {@code config/profiles.json}): the reward of a detected window, the weight of a false positive's cost
 * and the cost of a missed window.
 *
 * @param name     as NAB names it
 * @param tpWeight reward of a window detected at its first row
 * @param fpWeight weight of a false positive (its cost is at most this, see {@link NabScorer#scaledSigmoid})
 * @param fnWeight cost of a window without a detection
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {
    /** {@code standard}: tp 1, fp 0.11, fn 1. */
    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
    /** {@code reward_low_FP_rate}: tp 1, fp 0.22, fn 1. */
    public static final NabProfile REWARD_LOW_FP = new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    /** {@code reward_low_FN_rate}: tp 1, fp 0.11, fn 2. */
    public static final NabProfile REWARD_LOW_FN = new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);
    /** The three, in NAB's order. */
    public static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP, REWARD_LOW_FN);

    public NabProfile {
        if (!(tpWeight > 0) || !(fpWeight >= 0) || !(fnWeight >= 0)) {
            throw new IllegalArgumentException(name + ": need tpWeight > 0, fpWeight >= 0, fnWeight >= 0, got "
                    + tpWeight + ", " + fpWeight + ", " + fnWeight);
        }
    }
}

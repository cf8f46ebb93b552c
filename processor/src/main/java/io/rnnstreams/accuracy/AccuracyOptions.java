package io.rnnstreams.accuracy;

import java.nio.file.Path;
import java.util.List;

/**
 * What the accuracy command runs; validated on construction.
 *
 * @param keys       keys per generated dataset
 * @param length     readings per key of the generated datasets
 * @param seed       seed of the generated datasets
 * @param ett        the ETTh1 CSV file, or null to leave the real data out
 * @param ettRows    use only the first this many rows of ETTh1 (0 = all); stated in the table caption
 * @param skab       the SKAB data folder ({@link SkabData}), or null to leave SKAB out
 * @param demo       whether the demo data set is one of the datasets
 * @param arOrder    order {@code p} of the AR baseline
 * @param threads    runs (dataset x method) in parallel; results do not depend on it
 * @param tuned      settings ({@code KEY=VALUE}) of extra "tuned" RNN rows, empty for none
 * @param plainRnn   whether the plain RNN's rows (the stream's learner today) are in the tables
 * @param learnerVariants specifications of extra learner rows ({@link LearnerVariant#parse}), empty for none
 */
public record AccuracyOptions(int keys, int length, long seed, Path ett, int ettRows, Path skab, boolean demo,
                              int arOrder, int threads, List<String> tuned, boolean plainRnn,
                              List<String> learnerVariants) {
    public static final int DEFAULT_KEYS = 4;
    public static final int DEFAULT_LENGTH = 5000;
    public static final long DEFAULT_SEED = 1;

    public AccuracyOptions {
        tuned = List.copyOf(tuned);
        learnerVariants = List.copyOf(learnerVariants);
        for (String v : learnerVariants) {
            LearnerVariant.parse(v); // fails now, naming the option
        }
        require(keys >= 1 && keys <= 1000, "--keys must be in [1, 1000], got " + keys);
        require(length >= 2, "--length must be >= 2, got " + length);
        require(ettRows == 0 || ettRows >= 2, "--ett-rows must be 0 (all) or >= 2, got " + ettRows);
        require(arOrder >= 1 && arOrder <= 200, "--ar-order must be in [1, 200], got " + arOrder);
        require(threads >= 1 && threads <= 64, "--threads must be in [1, 64], got " + threads);
        for (String t : tuned) {
            require(t.indexOf('=') > 0, "--tuned takes KEY=VALUE, got '" + t + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

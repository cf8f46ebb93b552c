package io.rnnstreams.eval;


/**
 * One method's figures on one dataset.
 *
 * @param method  the row name
 * @param errors  readings scored, MAE, RMSE (raw units, pooled over keys and channels) and MASE (per key the
 *                mean over channels of MAE / persistence MAE on the same readings, then the mean over keys)
 * @param seconds wall-clock seconds the run took (informative only; varies with load)
 * @param role    what the row is for in the summary
 * @param intervalCoverage the fraction of scored channel values that fell inside the method's nominal
 *                {@link PredictionIntervals#DEFAULT_LEVEL} one-step interval ({@link PredictionIntervals} on its own
 *                errors), counted from each key's {@link PredictionIntervals#WARM_UP}th error on; NaN if none
 */
public record MethodResult(String method, ErrorSummary errors, double seconds, Role role, double intervalCoverage) {
    /** What a row is for in the summary table. */
    public enum Role {
        /** A classical baseline: the best of them per dataset is the yardstick. */
        BASELINE,
        /** The learner with its defaults. */
        LEARNER,
        /** The learner with its recurrent part removed. */
        ABLATION,
        /** Anything else (other RNN rows, tuned rows). */
        OTHER
    }

    /** A row of role {@link Role#OTHER}. */
    public MethodResult(String method, ErrorSummary errors, double seconds) {
        this(method, errors, seconds, Role.OTHER, Double.NaN);
    }

    /** A row without a measured interval coverage. */
    public MethodResult(String method, ErrorSummary errors, double seconds, Role role) {
        this(method, errors, seconds, role, Double.NaN);
    }

    /** This result with another role. */
    public MethodResult withRole(Role r) {
        return new MethodResult(method, errors, seconds, r, intervalCoverage);
    }

    /** Mean wall-clock microseconds per reading (scored or not: the run's readings). */
    public double microsPerReading(long readings) {
        return readings == 0 ? Double.NaN : seconds * 1e6 / readings;
    }
}

package io.rnnstreams.eval;


/**
 * One method's figures on one dataset.
 *
 * @param method  the row name
 * @param errors  readings scored, MAE, RMSE (raw units, pooled over keys and channels) and MASE (per key the
 *                mean over channels of MAE / persistence MAE on the same readings, then the mean over keys)
 * @param seconds wall-clock seconds the run took (informative only; varies with load)
 */
public record MethodResult(String method, ErrorSummary errors, double seconds) {
}

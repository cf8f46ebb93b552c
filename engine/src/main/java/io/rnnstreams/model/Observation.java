package io.rnnstreams.model;

/**
 * What {@link OnlineForecaster#observe} made of one reading.
 *
 * @param forecast      the de-normalised forecast of the next reading ({@code D}); always finite
 * @param previousError this reading minus the forecast made at the previous one ({@code D}), or null for
 *                      the first reading of a sequence (or the first after a reset)
 * @param trained       whether a TBPTT update ran on this reading (applied or refused)
 * @param healthReset   whether the recurrent state went non-finite and was reset on this reading
 */
public record Observation(double[] forecast, double[] previousError, boolean trained, boolean healthReset) {
}

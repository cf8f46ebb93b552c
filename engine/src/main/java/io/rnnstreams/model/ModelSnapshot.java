package io.rnnstreams.model;

/**
 * The exported state of a {@link Model}, as flat primitive arrays: every weight in
 * {@link Network#parameters()} order (column by column), the optimizer's moments in the same order,
 * and the counters. Arrays are owned by the snapshot; {@link Model#importState} copies them.
 *
 * @param version        layout version, {@link Model#STATE_VERSION}
 * @param parameters     {@code P} weights
 * @param optimizerState 0, {@code P} or {@code 2P} moments (SGD, momentum, Adam)
 * @param updates        weight updates applied
 * @param restores       updates undone by the numerical-health check
 * @param optimizerSteps the optimizer's step count (Adam's {@code t})
 */
public record ModelSnapshot(int version, double[] parameters, double[] optimizerState, long updates,
                            long restores, long optimizerSteps) {
}

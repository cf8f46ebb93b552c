package io.rnnstreams.model;

/**
 * The exported per-sequence (per-key) state of a {@link SequenceState}, as flat primitive arrays.
 * Every array has a length fixed by the configuration: the snapshot of a sequence after 1,000 readings
 * is as large as after 100,000.
 *
 * @param version           layout version, {@link Model#STATE_VERSION}
 * @param hiddenState       the live recurrent state {@code S}
 * @param anchor            the window's anchor state {@code S}
 * @param windowInputs      {@code k2 * D}, ring slot by slot
 * @param windowTargets     {@code k2 * O}
 * @param windowCount       pairs held
 * @param windowHead        ring slot of the oldest pair
 * @param pushesSinceUpdate pairs pushed since the last training
 * @param normaliserCount   readings the normaliser has seen
 * @param normaliserMean    {@code D}
 * @param normaliserM2      {@code D}
 * @param lastInput         the normalised input of the last reading {@code D}
 * @param hasLastInput      whether {@code lastInput} is set
 * @param lastForecast      the de-normalised forecast made at the last reading {@code O}
 * @param readings          readings observed
 */
public record SequenceSnapshot(int version, double[] hiddenState, double[] anchor, double[] windowInputs,
                               double[] windowTargets, int windowCount, int windowHead, int pushesSinceUpdate,
                               long normaliserCount, double[] normaliserMean, double[] normaliserM2,
                               double[] lastInput, boolean hasLastInput, double[] lastForecast, long readings) {

    /**
     * The last reading, in its own units: {@code lastInput} de-normalised with this snapshot's normaliser (the
     * one that normalised it: the normaliser learns a reading before normalising it). Equal to the reading to
     * within rounding (a few units in the last place); without input normalisation the normaliser has seen
     * nothing (mean 0, std 1) and this is {@code lastInput} itself. Empty before the first reading.
     *
     * @return {@code D} values, or none
     */
    public double[] lastReading() {
        if (!hasLastInput) {
            return new double[0];
        }
        Normaliser normaliser = new Normaliser(normaliserMean.length);
        System.arraycopy(normaliserMean, 0, normaliser.meanArray(), 0, normaliserMean.length);
        System.arraycopy(normaliserM2, 0, normaliser.m2Array(), 0, normaliserM2.length);
        normaliser.setCount(normaliserCount);
        double[] reading = new double[lastInput.length];
        normaliser.denormalise(lastInput, reading);
        return reading;
    }
}

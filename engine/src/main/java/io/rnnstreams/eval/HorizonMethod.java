package io.rnnstreams.eval;

/**
 * A multi-step forecaster over a stream of keyed readings, prequential: {@link #observe} takes a key's reading
 * (which it may learn from) and returns its forecasts of that key's next {@code N} readings, before they are
 * seen. One instance per run over a dataset; not thread-safe.
 */
public interface HorizonMethod {
    /** The row name in the tables. */
    String name();

    /**
     * Takes {@code key}'s next reading and forecasts the {@code horizon} after it.
     *
     * @param reading one finite value per channel; not kept or modified
     * @return {@code [h-1]}: the forecast {@code h} readings ahead, one finite value per channel, for
     *         {@code h = 1..horizon}
     */
    double[][] observe(String key, double[] reading, int horizon);
}

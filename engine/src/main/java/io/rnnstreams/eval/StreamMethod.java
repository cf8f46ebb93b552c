package io.rnnstreams.eval;

/**
 * A one-step forecaster over a stream of keyed readings, prequential: {@link #observe} takes a key's reading
 * (which it may learn from) and returns its forecast of that key's next reading, before that is seen.
 * One instance per run over a dataset; not thread-safe.
 */
public interface StreamMethod {
    /** The row name in the tables. */
    String name();

    /**
     * Takes {@code key}'s next reading and forecasts the one after it.
     *
     * @param reading one finite value per channel; not kept or modified
     * @return the forecast, one finite value per channel
     */
    double[] observe(String key, double[] reading);
}

package io.rnnstreams.eval;

/**
 * A prequential one-step forecaster of one sensor: {@link #next} takes the sensor's next reading (which it
 * may learn from) and returns its forecast of the reading after it, before that is seen.
 *
 * <p>Implementations are deterministic (the same readings give bit-identical forecasts), Kafka-free and not
 * thread-safe: one instance per sensor.
 */
public interface SensorForecaster {
    /** Channels {@code D} per reading. */
    int channels();

    /**
     * Takes the sensor's next reading and forecasts the one after it.
     *
     * @param reading {@code D} finite values; not kept or modified
     * @return a new array of {@code D} finite values
     */
    double[] next(double[] reading);

    /** The state this forecaster keeps between readings ({@link StateSize}: what one key would store). */
    StateSize stateSize();
}

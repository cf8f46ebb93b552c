package io.rnnstreams.eval;

import io.rnnstreams.model.CompactState;

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

    /**
     * Appends the state that {@link #stateSize} counts to {@code out}, numbers rounded to float (see
     * {@link CompactState}); {@link #readState} reads it back in the same order.
     *
     * @throws UnsupportedOperationException if this forecaster cannot export its state
     */
    default void writeState(CompactState.Writer out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not export its state");
    }

    /**
     * Replaces this forecaster's state with the one {@link #writeState} wrote (by a forecaster of the same
     * configuration).
     *
     * @throws UnsupportedOperationException if this forecaster cannot import its state
     */
    default void readState(CompactState.Reader in) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not import its state");
    }

    /**
     * Leaves this forecaster's state as {@link #writeState} then {@link #readState} of what it wrote would leave it
     * (its stored form's numbers), bit for bit, in place: a learner keeps its forecasters' state in its stored form
     * at every reading without writing it and reading it back ({@code HybridForecasterRoundingTest} holds every
     * implementation to the round trip).
     *
     * @throws UnsupportedOperationException if this forecaster cannot export or import its state
     */
    default void roundToStored() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not round its state");
    }
}

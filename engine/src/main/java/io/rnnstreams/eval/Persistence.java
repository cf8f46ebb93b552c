package io.rnnstreams.eval;

import io.rnnstreams.model.CompactState;

/** Persistence (naive): the next reading is forecast to equal this one. MASE's yardstick. */
public final class Persistence implements SensorForecaster {
    private final int channels;

    public Persistence(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        this.channels = channels;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public double[] next(double[] reading) {
        return reading.clone();
    }

    /** None: the last reading is the combination's to keep (as this member's forecast). */
    @Override
    public StateSize stateSize() {
        return StateSize.NONE;
    }

    /** Nothing to write. */
    @Override
    public void writeState(CompactState.Writer out) {
    }

    @Override
    public void readState(CompactState.Reader in) {
    }

    /** Nothing to round. */
    @Override
    public void roundToStored() {
    }
}

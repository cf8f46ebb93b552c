package io.rnnstreams.eval;

import io.rnnstreams.model.CompactState;

/**
 * Seasonal persistence with period {@code m}: reading {@code t + 1} is forecast to equal reading
 * {@code t + 1 - m}; until the sensor has {@code m} readings it falls back to persistence. State: a ring of
 * the last {@code m} readings.
 */
public final class SeasonalPersistence implements SensorForecaster {
    private final int channels;
    private final int period;
    private final double[][] ring;
    private long readings;

    public SeasonalPersistence(int channels, int period) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (period < 1) {
            throw new IllegalArgumentException("period must be >= 1, got " + period);
        }
        this.channels = channels;
        this.period = period;
        this.ring = new double[period][];
    }

    @Override
    public int channels() {
        return channels;
    }

    /** The period {@code m}. */
    public int period() {
        return period;
    }

    @Override
    public double[] next(double[] reading) {
        ring[(int) (readings % period)] = reading.clone();
        readings++;
        // the ring now holds readings t-m+1 .. t; reading t+1-m sits where the next one will go
        return readings >= period ? ring[(int) (readings % period)].clone() : reading.clone();
    }

    /** The ring ({@code m D} doubles) and the reading count. */
    @Override
    public StateSize stateSize() {
        return new StateSize((long) period * channels, 0, 1);
    }

    /** The reading count, then the ring slot by slot ({@code m D} values; slots not filled yet are 0). */
    @Override
    public void writeState(CompactState.Writer out) {
        out.counter(readings);
        for (double[] slot : ring) {
            out.values(slot == null ? new double[channels] : slot);
        }
    }

    @Override
    public void readState(CompactState.Reader in) {
        readings = in.counter();
        for (int s = 0; s < period; s++) {
            double[] slot = new double[channels];
            in.values(slot);
            ring[s] = s < readings ? slot : null;
        }
    }

    /** {@link #writeState} then {@link #readState}, in place: each filled slot rounded to float, the others empty. */
    @Override
    public void roundToStored() {
        for (int s = 0; s < period; s++) {
            if (s >= readings) {
                ring[s] = null;
            } else if (ring[s] == null) {
                ring[s] = new double[channels];
            } else {
                CompactState.roundValues(ring[s]);
            }
        }
    }
}

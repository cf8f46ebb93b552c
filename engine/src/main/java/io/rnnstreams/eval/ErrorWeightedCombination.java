package io.rnnstreams.eval;

import io.rnnstreams.model.CompactState;
import java.util.List;

/**
 * The online combination of forecasters by their recent errors ("classical combination" when the members
 * are the classical baselines): per channel, the forecast is {@code sum_k w_k f_k} with weights
 * proportional to {@code mse_k^-2}, {@code mse_k} each member's recent mean squared one-step error on that
 * channel (exponentially weighted, rate {@value #ERROR_RATE}). The inverse-variance weights of Bates and
 * Granger (1969) use power 1; power 2 leans harder on the recently best member and was better on every
 * dataset family of the accuracy suite but one (measured: SKAB runs 0.782 against 0.794, ETTh1 seven
 * channels 0.860 against 0.863, Mackey-Glass 0.022 against 0.024; demo data 0.992 against 0.988). Members that have been exact (recent error 0) share the weight alone; before any reading is scored
 * the weights are equal.
 *
 * <p>Every member sees every reading (prequentially, through its own {@link SensorForecaster#next}), so its
 * error is known even while its weight is small and it can take over when the series changes.
 *
 * <p>Deterministic; not thread-safe: one instance per sensor.
 */
public final class ErrorWeightedCombination implements SensorForecaster {
    /** Rate of the members' exponentially weighted squared errors. */
    public static final double ERROR_RATE = 0.02;
    /** Weights are proportional to the recent mean squared error to this power, negated. */
    public static final double POWER = 2.0;

    private final int channels;
    private final boolean absoluteErrors;
    private final double errorRate;
    private final double power;
    private final List<SensorForecaster> members;
    private final double[][] forecasts;
    private final double[][] errors;
    private final double[] weights;
    private long readings;

    /** @param members at least one, each of the same {@code D} channels */
    public ErrorWeightedCombination(List<SensorForecaster> members) {
        this(members, false);
    }

    /**
     * @param members        at least one, each of the same {@code D} channels
     * @param absoluteErrors weight the members by their recent mean <em>absolute</em> errors to the power
     *                       {@code -2 POWER} instead (the same leaning as {@code mse^-POWER} where
     *                       {@code mse ~ mae^2}, but a few large errors weigh less: the accuracy suite scores MAE)
     */
    public ErrorWeightedCombination(List<SensorForecaster> members, boolean absoluteErrors) {
        this(members, absoluteErrors, ERROR_RATE, POWER);
    }

    /**
     * @param members        at least one, each of the same {@code D} channels
     * @param absoluteErrors weight by recent absolute errors ({@link #ErrorWeightedCombination(List, boolean)})
     * @param errorRate      rate of the members' exponentially weighted errors, in (0, 1] ({@value #ERROR_RATE} by
     *                       default)
     * @param power          weights are proportional to {@code mse^-power} (or {@code mae^-2 power}), {@code > 0}
     *                       ({@value #POWER} by default)
     */
    public ErrorWeightedCombination(List<SensorForecaster> members, boolean absoluteErrors, double errorRate,
                                    double power) {
        if (!(errorRate > 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("a combination's error rate must be in (0, 1], got " + errorRate);
        }
        if (!(power > 0 && Double.isFinite(power))) {
            throw new IllegalArgumentException("a combination's power must be positive and finite, got " + power);
        }
        this.errorRate = errorRate;
        this.power = power;
        this.absoluteErrors = absoluteErrors;
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a combination needs at least one member");
        }
        this.channels = members.get(0).channels();
        for (SensorForecaster m : members) {
            if (m.channels() != channels) {
                throw new IllegalArgumentException("members differ in channels: " + m.channels() + " and " + channels);
            }
        }
        this.members = List.copyOf(members);
        this.forecasts = new double[members.size()][];
        this.errors = new double[members.size()][channels];
        this.weights = new double[members.size()];
    }

    @Override
    public int channels() {
        return channels;
    }

    /** The members, in order. */
    public List<SensorForecaster> members() {
        return members;
    }

    /** Member {@code k}'s forecast of the coming reading (after the first {@link #next}), a view. */
    public double[] memberForecast(int k) {
        return forecasts[k];
    }

    @Override
    public double[] next(double[] reading) {
        for (int k = 0; k < members.size(); k++) {
            if (readings > 0) {
                for (int c = 0; c < channels; c++) {
                    double e = reading[c] - forecasts[k][c];
                    errors[k][c] += errorRate * ((absoluteErrors ? Math.abs(e) : e * e) - errors[k][c]);
                }
            }
            forecasts[k] = members.get(k).next(reading);
        }
        readings++;
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            weights(c, weights);
            double f = 0;
            for (int k = 0; k < members.size(); k++) {
                f += weights[k] * forecasts[k][c];
            }
            out[c] = Double.isFinite(f) ? f : reading[c];
        }
        return out;
    }

    /**
     * The members' states, plus each member's forecast and recent squared error per channel
     * ({@code 2 K D} doubles) and the reading count.
     */
    @Override
    public StateSize stateSize() {
        StateSize size = new StateSize(2L * members.size() * channels, 0, 1);
        for (SensorForecaster m : members) {
            size = size.plus(m.stateSize());
        }
        return size;
    }

    /**
     * The reading count, each member's forecast and recent squared errors ({@code 2 K D} values; forecasts
     * 0 before the first reading), then each member's state in order.
     */
    @Override
    public void writeState(CompactState.Writer out) {
        out.counter(readings);
        for (int k = 0; k < members.size(); k++) {
            out.values(forecasts[k] == null ? new double[channels] : forecasts[k]).values(errors[k]);
        }
        for (SensorForecaster m : members) {
            m.writeState(out);
        }
    }

    @Override
    public void readState(CompactState.Reader in) {
        readings = in.counter();
        for (int k = 0; k < members.size(); k++) {
            double[] f = new double[channels];
            in.values(f);
            forecasts[k] = readings > 0 ? f : null;
            in.values(errors[k]);
        }
        for (SensorForecaster m : members) {
            m.readState(in);
        }
    }

    /**
     * {@link #writeState} then {@link #readState}, in place: each member's forecast (once a reading was seen; none
     * before) and recent errors rounded to float, then each member's {@link SensorForecaster#roundToStored}. The
     * forecasts are this combination's own arrays (each member's {@link SensorForecaster#next} returns a new one),
     * so rounding them in place changes no member's state.
     */
    @Override
    public void roundToStored() {
        for (int k = 0; k < members.size(); k++) {
            if (readings <= 0) {
                forecasts[k] = null;
            } else if (forecasts[k] == null) {
                forecasts[k] = new double[channels];
            } else {
                CompactState.roundValues(forecasts[k]);
            }
            CompactState.roundValues(errors[k]);
        }
        for (SensorForecaster m : members) {
            m.roundToStored();
        }
    }

    /**
     * Replaces this combination's state with {@code other}'s, whose members are of the same kinds and shapes in
     * the same order; a Holt-Winters member may be on another grid ({@link OnlineHoltWinters#adopt}). For state
     * stored under an older layout.
     *
     * @throws IllegalArgumentException if the members do not match
     */
    public void adopt(ErrorWeightedCombination other) {
        if (other.members.size() != members.size() || other.channels != channels) {
            throw new IllegalArgumentException("a combination of " + other.members.size() + " members over "
                    + other.channels + " channels does not fit " + members.size() + " over " + channels);
        }
        for (int k = 0; k < members.size(); k++) {
            SensorForecaster mine = members.get(k);
            SensorForecaster theirs = other.members.get(k);
            if (mine.getClass() != theirs.getClass()) {
                throw new IllegalArgumentException("member " + k + " is a " + theirs.getClass().getSimpleName()
                        + ", expected a " + mine.getClass().getSimpleName());
            }
            if (mine instanceof OnlineHoltWinters hw) {
                hw.adopt((OnlineHoltWinters) theirs);
            } else {
                CompactState.Writer out = new CompactState.Writer();
                theirs.writeState(out);
                CompactState.Reader in = new CompactState.Reader(out.build());
                mine.readState(in);
                in.finish();
            }
            forecasts[k] = other.forecasts[k] == null ? null : other.forecasts[k].clone();
            System.arraycopy(other.errors[k], 0, errors[k], 0, channels);
        }
        readings = other.readings;
    }

    /** Writes channel {@code c}'s current weights (summing to 1) to {@code out}. */
    public void weights(int channel, double[] out) {
        int n = members.size();
        int exact = 0;
        for (int k = 0; k < n; k++) {
            if (errors[k][channel] == 0) {
                exact++;
            }
        }
        if (exact > 0) {
            for (int k = 0; k < n; k++) {
                out[k] = errors[k][channel] == 0 ? 1.0 / exact : 0.0;
            }
            return;
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            out[k] = Math.pow(errors[k][channel], absoluteErrors ? -2 * power : -power);
            sum += out[k];
        }
        for (int k = 0; k < n; k++) {
            out[k] /= sum;
        }
    }
}

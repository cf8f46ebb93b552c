package io.rnnstreams.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The classical online forecasters of one sensor, as used by the accuracy suite's baseline rows and by the
 * learner's linear path: persistence, seasonal persistence (with a period), online AR(p) by RLS
 * ({@link OnlineAr}) and online Holt-Winters ({@link OnlineHoltWinters}), and their
 * {@link ErrorWeightedCombination} (the "classical combination").
 */
public final class ClassicalForecasters {
    private ClassicalForecasters() {
    }

    /**
     * The members of the classical combination, in order: persistence, seasonal persistence (if
     * {@code period > 0}), AR({@code arOrder}) with the default forgetting and prior, Holt-Winters.
     */
    public static List<SensorForecaster> members(int channels, int period, int arOrder) {
        return members(channels, period, arOrder, OnlineHoltWinters.grid(period));
    }

    /** {@link #members} with Holt-Winters on {@code holtWintersGrid}. */
    public static List<SensorForecaster> members(int channels, int period, int arOrder,
                                                 List<HoltWinters.Parameters> holtWintersGrid) {
        List<SensorForecaster> members = new ArrayList<>();
        members.add(new Persistence(channels));
        if (period > 0) {
            members.add(new SeasonalPersistence(channels, period));
        }
        members.add(new OnlineAr(channels, arOrder, OnlineAr.DEFAULT_LAMBDA, OnlineAr.DEFAULT_DELTA));
        members.add(new OnlineHoltWinters(channels, period, holtWintersGrid));
        return members;
    }

    /** The classical combination: {@link #members} weighted by their recent errors. */
    public static ErrorWeightedCombination combination(int channels, int period, int arOrder) {
        return new ErrorWeightedCombination(members(channels, period, arOrder));
    }

    /**
     * The classical combination with Holt-Winters on its {@linkplain OnlineHoltWinters#compactGrid compact grid}:
     * the hybrid learner's linear path, whose state every key stores.
     */
    public static ErrorWeightedCombination compactCombination(int channels, int period, int arOrder) {
        return compactCombination(channels, period, arOrder, false);
    }

    /**
     * As {@link #compactCombination(int, int, int)}; with {@code absoluteErrors} weighted by recent absolute errors
     * ({@link ErrorWeightedCombination#ErrorWeightedCombination(List, boolean)}).
     */
    public static ErrorWeightedCombination compactCombination(int channels, int period, int arOrder,
                                                              boolean absoluteErrors) {
        return compactCombination(channels, period, arOrder, absoluteErrors, ErrorWeightedCombination.ERROR_RATE,
                ErrorWeightedCombination.POWER);
    }

    /**
     * As {@link #compactCombination(int, int, int, boolean)} with the combination's error rate and power
     * ({@link ErrorWeightedCombination#ErrorWeightedCombination(List, boolean, double, double)}).
     */
    public static ErrorWeightedCombination compactCombination(int channels, int period, int arOrder,
                                                              boolean absoluteErrors, double errorRate, double power) {
        return new ErrorWeightedCombination(members(channels, period, arOrder, OnlineHoltWinters.compactGrid(period)),
                absoluteErrors, errorRate, power);
    }
}

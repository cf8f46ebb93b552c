package io.rnnstreams.model;

import java.util.Arrays;

/**
 * One key's per-horizon base forecast and correction gain for the <b>corrected</b> encoder-decoder
 * ({@link Seq2SeqConfig#corrected()}): the decoder's output at step {@code h} is a correction added to a classical
 * forecast of horizon {@code h}, scaled by a gain in [0, 1] fitted online, as the hybrid learner corrects its
 * linear path ({@code learner.HybridForecaster}): a correction that does not help is switched off.
 *
 * <p><b>Base.</b> In the window's (normalised) units, the forecast of {@code x_{t+h}} made at reading {@code t} is
 * {@code b_{t,h} = sum_k w_{h,c,k} f_{k,t,h}} per channel {@code c}, over the members
 * <ol>
 *   <li>persistence, {@code f = x_t}, and/or ({@link Seq2SeqConfig#level()}) a smoothed level,
 *       {@code f = sum_j v_j x_{t-j}}, {@code j < }{@value #LEVEL_READINGS}, {@code v_j} proportional to
 *       {@code a (1 - a)^j}, {@code a = }{@value #LEVEL_RATE} (readings the window holds too);</li>
 *   <li>with a period {@code m > 0}, seasonal persistence, {@code f = x_{t+h-m ceil(h/m)}} (the same phase in the
 *       last season held; at {@code h = m} it is {@code x_t});</li>
 * </ol>
 * weighted by their recent squared errors <i>at that horizon</i> (exponentially weighted, rate
 * {@value #ERROR_RATE}; weights proportional to {@code mse^-}{@value #POWER}, or at their minimum error variance
 * with {@link Seq2SeqConfig.Combination#MIN_VARIANCE}; equal before any error is known,
 * exact members share the weight alone: the rule of {@code eval.ErrorWeightedCombination}, which sits above this
 * package). Both members are readings the window holds, so the errors at every horizon are scored when each
 * reading arrives ({@link #observe}) without keeping past forecasts, and a window step's base can be recomputed at
 * training time: the decoder at step {@code t} is trained on {@code y_{t,h} = x_{t+h} - b_{t,h}} (the weights
 * those of the training, so the base is a constant of the loss and the gradients are the plain
 * {@link EncoderDecoderBptt}'s).
 *
 * <p><b>Gain.</b> The forecast is {@code b_{t,h} + g_{h,c} o_{t,h}} with
 * {@code g_{h,c} = clamp(E[r o] / E[o^2], 0, 1)}, {@code r = x_{t+h} - b_{t,h}} the base's error, both
 * expectations exponentially weighted (rate {@value #GAIN_RATE}, the hybrid learner's; both start at 0, so the
 * gain starts at 0; {@link Seq2SeqConfig#gainRule()} may weigh it against the uncorrected base, see {@link #gain}):
 * the least-squares weight of
 * the corrected forecast in its combination with the base, on <b>prequential</b> pairs, each correction scored
 * when its target arrives (fitted on the training's own outputs instead, the gain is about 1 by construction:
 * least-squares outputs satisfy {@code E[y o] = E[o^2]} on the data they were fitted to; measured, it switched
 * nothing off). To keep the state small, the corrections of every {@code s}-th reading are kept
 * ({@code s = ceil(N / }{@value #SNAPSHOTS}{@code )}, at most {@value #SNAPSHOTS} forecasts pending): each horizon
 * learns one pair every {@code s} readings; the base of a pending forecast is recomputed from the window when
 * its target arrives (with the member weights of that reading).
 *
 * <p>State: {@code (K + 2) N D + P (N D + 1)} doubles ({@link #size}) for {@code K >= 2} members and {@code P}
 * pending forecasts with the fitted gain ({@code 2 N D} more, E[r^2] and E[(r - g o)^2], with the chosen one;
 * {@code K (K - 1) / 2 N D} more, the members' error products, at minimum error variance); {@code K = 0} with one
 * member alone (its weight is 1: no errors kept). Deterministic; not thread-safe.
 */
public final class HorizonCorrection {
    /** Rate of the members' exponentially weighted squared errors (as {@code eval.ErrorWeightedCombination}). */
    public static final double ERROR_RATE = 0.02;
    /** Member weights are proportional to their recent mean squared error to this power, negated. */
    public static final double POWER = 2.0;
    /** Rate of the exponentially weighted moments that fit the gain (as {@code learner.HybridForecaster}). */
    public static final double GAIN_RATE = 0.01;
    /** Forecasts pending at most: the corrections of every {@code ceil(N / 4)}-th reading are kept. */
    public static final int SNAPSHOTS = 4;
    /** Readings the smoothed level ({@link Seq2SeqConfig#smoothedLevel()}) weighs: {@code 0.7^12 < 1.4%} is cut off. */
    public static final int LEVEL_READINGS = 12;
    /** Rate of the smoothed level: weight {@code a (1 - a)^j} on the reading {@code j} steps back, renormalised. */
    public static final double LEVEL_RATE = 0.3;
    /** The smoothed level's weights, newest first, summing to 1. */
    private static final double[] LEVEL_WEIGHTS = levelWeights();

    private final int horizon;
    private final int channels;
    private final int period;
    private final int members;
    /** {@code kinds[k]}: member k's kind, {@link #PERSISTENCE}, {@link #LEVEL} or {@link #SEASONAL} (last if any). */
    private final int[] kinds;
    private static final int PERSISTENCE = 0;
    private static final int LEVEL = 1;
    private static final int SEASONAL = 2;
    private final Seq2SeqConfig.GainRule gainRule;
    /** Whether the members are combined at minimum error variance ({@link Seq2SeqConfig.Combination#MIN_VARIANCE}). */
    private final boolean minVariance;
    /**
     * {@code crossErrors[q][h-1][c]}: the recent mean product of the errors of the q-th pair of members {@code k < l}
     * (in the order (0,1), (0,2), (1,2)), with the minimum-variance combination; none otherwise.
     */
    private final double[][][] crossErrors;
    /** Scratch: the members' errors at one origin. */
    private final double[] memberErrors;
    /** The minimum-variance weights {@code [h-1][c][k]}, recomputed from the errors when {@link #weightsStale}. */
    private final double[][][] cachedWeights;
    private boolean weightsStale = true;
    private final double[][] system;
    private final int[] subset;
    private final double[] subsetWeights;
    /** {@code residualSquared[h-1][c]}: E[r^2], the base's squared error on the pairs (the chosen rule only). */
    private final double[][] residualSquared;
    /** {@code correctedSquared[h-1][c]}: E[(r - g o)^2], the corrected forecast's (the chosen rule only). */
    private final double[][] correctedSquared;
    /** {@code errors[k][h-1][c]}: member k's recent mean squared error at horizon h on channel c (none for one member). */
    private final double[][][] errors;
    /** {@code targetTimesOutput[h-1][c]}: E[y o]. */
    private final double[][] targetTimesOutput;
    /** {@code outputSquared[h-1][c]}: E[o^2]. */
    private final double[][] outputSquared;
    private final double[] weights;
    /** Readings between two kept forecasts, {@code ceil(N / P)}. */
    private final int stride;
    /** {@code pending[p][h-1][c]}: the correction {@code o} made at reading {@code origin[p]}, -1 if none. */
    private final double[][][] pending;
    private final long[] origin;
    private final double[] base;
    private final double[] residual;

    public HorizonCorrection(Seq2SeqConfig config) {
        if (!config.corrected()) {
            throw new IllegalArgumentException("a horizon correction needs a corrected seq2seq configuration, got "
                    + config);
        }
        this.horizon = config.horizon();
        this.channels = config.channels();
        this.period = config.period();
        this.members = memberCount(config);
        this.kinds = new int[members];
        int k = 0;
        if (config.level().persistence()) {
            kinds[k++] = PERSISTENCE;
        }
        if (config.level().smoothed()) {
            kinds[k++] = LEVEL;
        }
        if (config.period() > 0) {
            kinds[k] = SEASONAL;
        }
        this.gainRule = config.gainRule();
        this.minVariance = config.combination() == Seq2SeqConfig.Combination.MIN_VARIANCE;
        this.crossErrors = new double[crossPairs(config)][horizon][channels];
        this.memberErrors = new double[members];
        this.cachedWeights = new double[minVariance ? horizon : 0][channels][members];
        this.system = new double[members][members + 1];
        this.subset = new int[members];
        this.subsetWeights = new double[members];
        boolean chosen = gainRule == Seq2SeqConfig.GainRule.CHOSEN;
        this.residualSquared = new double[chosen ? horizon : 0][channels];
        this.correctedSquared = new double[chosen ? horizon : 0][channels];
        this.errors = new double[scoredMembers(config)][horizon][channels];
        this.targetTimesOutput = new double[horizon][channels];
        this.outputSquared = new double[horizon][channels];
        this.weights = new double[members];
        this.stride = stride(horizon);
        this.pending = new double[pendingSlots(horizon)][horizon][channels];
        this.origin = new long[pending.length];
        Arrays.fill(origin, -1);
        this.base = new double[channels];
        this.residual = new double[channels];
    }

    /**
     * The smoothed level's weight on the reading {@code j} steps back, {@code 0 <= j < }{@value #LEVEL_READINGS}
     * (newest first; they sum to 1): what the accuracy table's smoothed-level baseline weighs the readings by.
     */
    public static double levelWeight(int j) {
        return LEVEL_WEIGHTS[j];
    }

    private static double[] levelWeights() {
        double[] w = new double[LEVEL_READINGS];
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            w[j] = LEVEL_RATE * Math.pow(1 - LEVEL_RATE, j);
            sum += w[j];
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= sum;
        }
        return w;
    }

    private static int stride(int horizon) {
        return (horizon + SNAPSHOTS - 1) / SNAPSHOTS;
    }

    /** Forecasts pending at most: {@code ceil(N / s)}, so that a slot is reused once its last horizon is scored. */
    private static int pendingSlots(int horizon) {
        int s = stride(horizon);
        return (horizon + s - 1) / s;
    }

    /** Members of the base: persistence and/or the smoothed level, and seasonal persistence with a period. */
    static int memberCount(Seq2SeqConfig config) {
        return (config.level() == Seq2SeqConfig.Level.BOTH ? 2 : 1) + (config.period() > 0 ? 1 : 0);
    }

    /** Pairs of members whose error products are kept: {@code K (K - 1) / 2} for the minimum-variance combination. */
    static int crossPairs(Seq2SeqConfig config) {
        int k = scoredMembers(config);
        return config.combination() == Seq2SeqConfig.Combination.MIN_VARIANCE ? k * (k - 1) / 2 : 0;
    }

    /** Members whose errors are kept: all of them, none when one is alone. */
    static int scoredMembers(Seq2SeqConfig config) {
        int k = memberCount(config);
        return k > 1 ? k : 0;
    }

    /**
     * Doubles of this state: {@code (K + Q + 2 + E) N D + P (N D + 1)}, {@code Q} the members' error products
     * ({@code K (K - 1) / 2} at minimum error variance, else 0) and {@code E} the gain rule's error moments (0 fitted,
     * 2 chosen); 0 if not corrected.
     */
    public static int size(Seq2SeqConfig config) {
        if (!config.corrected()) {
            return 0;
        }
        int nd = config.horizon() * config.channels();
        int moments = switch (config.gainRule()) {
            case FITTED -> 0;
            case CHOSEN -> 2;
        };
        return (scoredMembers(config) + crossPairs(config) + 2 + moments) * nd
                + pendingSlots(config.horizon()) * (nd + 1);
    }

    /**
     * Window step whose reading is member {@code k}'s forecast, made at step {@code t}, of step {@code t + h} (for the
     * smoothed level, its newest reading).
     */
    private int source(int k, int t, int h) {
        if (kinds[k] != SEASONAL) {
            return t;
        }
        return t + h - period * ((h + period - 1) / period);
    }

    /**
     * Called when reading number {@code reading} (0 for a key's first) has been pushed onto {@code window}: scores
     * every member at every horizon on it ({@link #scoreMembers}), then learns the pending corrections whose
     * target it is into the gain: the correction made at reading {@code reading - h} against the base's error,
     * the base recomputed from the window.
     */
    public void observe(TbpttWindow window, long reading) {
        scoreMembers(window);
        double[][] ring = window.inputs;
        int start = window.head();
        int newest = window.count() - 1;
        double[] x = ring[(start + newest) % ring.length];
        for (int p = 0; p < pending.length; p++) {
            long h = reading - origin[p];
            if (origin[p] < 0 || h < 1 || h > horizon) {
                continue;
            }
            int step = newest - (int) h;
            if (step >= 0 && source(members - 1, step, (int) h) >= 0) {
                base(ring, start, step, (int) h, base);
                for (int c = 0; c < channels; c++) {
                    residual[c] = x[c] - base[c];
                }
                sample((int) h, pending[p][(int) h - 1], residual);
            }
            if (h == horizon) {
                origin[p] = -1;
            }
        }
    }

    /**
     * Keeps the corrections {@code outputs[h-1]} ({@code D} normalised values each) made at reading number
     * {@code reading} if it is one of every {@code s}-th.
     */
    public void remember(long reading, double[][] outputs) {
        if (reading % stride != 0) {
            return;
        }
        int p = (int) ((reading / stride) % pending.length);
        for (int h = 0; h < horizon; h++) {
            System.arraycopy(outputs[h], 0, pending[p][h], 0, channels);
        }
        origin[p] = reading;
    }

    /** Drops the pending corrections (the window they refer to was cleared); the errors and the gain stay. */
    public void forgetPending() {
        Arrays.fill(origin, -1);
    }

    /**
     * Scores every member at every horizon on the window's newest reading {@code x_t} (the forecasts made at
     * {@code t - h}, {@code h = 1..N}, as far as the window holds them).
     */
    void scoreMembers(TbpttWindow window) {
        if (errors.length == 0) {
            return; // persistence alone: its weight is 1
        }
        weightsStale = true;
        double[][] ring = window.inputs;
        int start = window.head();
        int newest = window.count() - 1;
        double[] x = ring[(start + newest) % ring.length];
        for (int h = 1; h <= horizon; h++) {
            int origin = newest - h;
            if (origin < 0 || source(members - 1, origin, h) < 0) {
                break; // the member reaching furthest back reaches further at every larger h
            }
            double rate = ERROR_RATE;
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < members; k++) {
                    double d = x[c] - member(k, ring, start, origin, h, c);
                    memberErrors[k] = d;
                    double[] e = errors[k][h - 1];
                    e[c] += rate * (d * d - e[c]);
                }
                for (int k = 0, q = 0; q < crossErrors.length; k++) {
                    for (int l = k + 1; l < members; l++, q++) {
                        double[] e = crossErrors[q][h - 1];
                        e[c] += rate * (memberErrors[k] * memberErrors[l] - e[c]);
                    }
                }
            }
        }
    }

    /**
     * Writes the base forecast {@code b_{t,h}} of window step {@code t} ({@code D} normalised values) to {@code dst};
     * step {@code t} reads {@code ring[(start + t) % ring.length]}; a member reaching before the window's first step
     * reads that step.
     */
    public void base(double[][] ring, int start, int t, int h, double[] dst) {
        for (int c = 0; c < channels; c++) {
            weights(h, c, weights);
            double b = 0;
            for (int k = 0; k < members; k++) {
                b += weights[k] * member(k, ring, start, t, h, c);
            }
            dst[c] = b;
        }
    }

    /**
     * Member {@code k}'s forecast, made at window step {@code t}, of step {@code t + h} on channel {@code c}: the
     * reading at {@link #source}, or for the smoothed level the weighted mean of steps {@code t, t-1, ...}; a step
     * before the window's first reads that step.
     */
    private double member(int k, double[][] ring, int start, int t, int h, int c) {
        if (kinds[k] == LEVEL) {
            double level = 0;
            for (int j = 0; j < LEVEL_READINGS; j++) {
                level += LEVEL_WEIGHTS[j] * ring[(start + Math.max(0, t - j)) % ring.length][c];
            }
            return level;
        }
        return ring[(start + Math.max(0, source(k, t, h))) % ring.length][c];
    }

    /** Writes the members' weights at horizon {@code h} on channel {@code c} (summing to 1) to {@code out}. */
    public void weights(int h, int channel, double[] out) {
        if (errors.length == 0) {
            out[0] = 1.0;
            return;
        }
        int exact = 0;
        for (int k = 0; k < members; k++) {
            if (errors[k][h - 1][channel] == 0) {
                exact++;
            }
        }
        if (exact > 0) {
            for (int k = 0; k < members; k++) {
                out[k] = errors[k][h - 1][channel] == 0 ? 1.0 / exact : 0.0;
            }
            return;
        }
        if (minVariance) {
            if (weightsStale) {
                for (int hh = 1; hh <= horizon; hh++) {
                    for (int c = 0; c < channels; c++) {
                        minimumVarianceWeights(hh, c, cachedWeights[hh - 1][c]);
                    }
                }
                weightsStale = false;
            }
            System.arraycopy(cachedWeights[h - 1][channel], 0, out, 0, members);
            return;
        }
        double sum = 0;
        for (int k = 0; k < members; k++) {
            out[k] = Math.pow(errors[k][h - 1][channel], -POWER);
            sum += out[k];
        }
        for (int k = 0; k < members; k++) {
            out[k] /= sum;
        }
    }

    /**
     * The convex weights of least {@code w' S w} for the members' error covariance {@code S} at horizon {@code h} on
     * channel {@code c}: the constrained minimum is the unconstrained one {@code S_A^-1 1 / (1' S_A^-1 1)} (variance
     * {@code 1 / (1' S_A^-1 1)}) of some subset {@code A} of the members with all its weights positive, so every
     * subset is tried (at most 7 for 3 members) and the least variance kept; a subset whose matrix is (nearly)
     * singular is skipped (two members that are the same forecast: one of them alone is tried too). Ties keep the
     * first subset in the order of the bit masks 1, 2, 3, ...
     */
    private void minimumVarianceWeights(int h, int channel, double[] out) {
        double best = Double.POSITIVE_INFINITY;
        double[] bestWeights = subsetWeights;
        double[][] matrix = system;
        int[] index = subset;
        for (int mask = 1; mask < (1 << members); mask++) {
            int size = 0;
            for (int k = 0; k < members; k++) {
                if ((mask & (1 << k)) != 0) {
                    index[size++] = k;
                }
            }
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    matrix[i][j] = covariance(index[i], index[j], h, channel);
                }
                matrix[i][size] = 1.0;
            }
            if (!solve(matrix, size)) {
                continue;
            }
            double sum = 0;
            boolean positive = true;
            for (int i = 0; i < size; i++) {
                positive &= matrix[i][size] > 0;
                sum += matrix[i][size];
            }
            if (!positive || !(sum > 0)) {
                continue;
            }
            double variance = 1.0 / sum;
            if (variance < best) {
                best = variance;
                java.util.Arrays.fill(bestWeights, 0.0);
                for (int i = 0; i < size; i++) {
                    bestWeights[index[i]] = matrix[i][size] / sum;
                }
            }
        }
        if (best == Double.POSITIVE_INFINITY) { // not reached with positive variances: a single member always solves
            java.util.Arrays.fill(out, 0, members, 1.0 / members);
            return;
        }
        System.arraycopy(bestWeights, 0, out, 0, members);
    }

    private double covariance(int k, int l, int h, int channel) {
        if (k == l) {
            return errors[k][h - 1][channel];
        }
        int a = Math.min(k, l);
        int b = Math.max(k, l);
        int q = a * (2 * members - a - 1) / 2 + (b - a - 1); // (0,1), (0,2), (1,2): 0, 1, 2, scoreMembers' order
        return crossErrors[q][h - 1][channel];
    }

    /**
     * Solves the {@code size x size} system in {@code m}'s first columns for the right-hand side in column {@code size},
     * in place (Gauss-Jordan with partial pivoting); false if a pivot is below {@code 1e-12} of the largest diagonal.
     */
    private static boolean solve(double[][] m, int size) {
        double scale = 0;
        for (int i = 0; i < size; i++) {
            scale = Math.max(scale, Math.abs(m[i][i]));
        }
        if (!(scale > 0)) {
            return false;
        }
        for (int col = 0; col < size; col++) {
            int pivot = col;
            for (int r = col + 1; r < size; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (!(Math.abs(m[pivot][col]) > 1e-12 * scale)) {
                return false;
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < size; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int j = col; j <= size; j++) {
                        m[r][j] -= f * m[col][j];
                    }
                }
            }
        }
        for (int i = 0; i < size; i++) {
            m[i][size] /= m[i][i];
        }
        return true;
    }

    /**
     * Learns one (correction, base error) pair of horizon {@code h} into the gain's moments; non-finite pairs are
     * skipped. ({@link #observe} learns the pending ones.)
     */
    public void sample(int h, double[] output, double[] target) {
        double[] yo = targetTimesOutput[h - 1];
        double[] oo = outputSquared[h - 1];
        for (int c = 0; c < channels; c++) {
            double o = output[c];
            double y = target[c];
            if (Double.isFinite(o) && Double.isFinite(y)) {
                if (correctedSquared.length > 0) {
                    double e = y - gain(h, c) * o; // scored with the gain before this pair is learnt
                    correctedSquared[h - 1][c] += GAIN_RATE * (e * e - correctedSquared[h - 1][c]);
                }
                if (residualSquared.length > 0) {
                    residualSquared[h - 1][c] += GAIN_RATE * (y * y - residualSquared[h - 1][c]);
                }
                yo[c] += GAIN_RATE * (y * o - yo[c]);
                oo[c] += GAIN_RATE * (o * o - oo[c]);
            }
        }
    }

    /**
     * The gain of the correction at horizon {@code h} on channel {@code c}, in [0, 1] (0 before any sample), by the
     * configuration's {@link Seq2SeqConfig#gainRule() rule}.
     */
    public double gain(int h, int channel) {
        double fitted = fittedGain(h, channel);
        return switch (gainRule) {
            case FITTED -> fitted;
            case CHOSEN -> fitted * correctedWeight(h, channel);
        };
    }

    private double fittedGain(int h, int channel) {
        double oo = outputSquared[h - 1][channel];
        if (!(oo > 0)) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(1.0, targetTimesOutput[h - 1][channel] / oo));
    }

    /**
     * The weight of the corrected forecast against the uncorrected base, {@code ec^-2 / (eb^-2 + ec^-2)} of their
     * recent squared errors on the pairs; exact ones share the weight alone; equal before any pair.
     */
    private double correctedWeight(int h, int channel) {
        double eb = residualSquared[h - 1][channel];
        double ec = correctedSquared[h - 1][channel];
        if (eb == 0 || ec == 0) {
            return eb == ec ? 0.5 : (ec == 0 ? 1.0 : 0.0);
        }
        double wb = Math.pow(eb, -POWER);
        double wc = Math.pow(ec, -POWER);
        return wc / (wb + wc);
    }

    /** Number of members {@code K}. */
    public int members() {
        return members;
    }

    /**
     * Writes the state ({@link #size} doubles): the errors member by member, the members' error products (if
     * kept), E[r o], E[o^2], and the chosen gain's E[r^2] and E[(r - g o)^2] (if kept), horizon by horizon, then each
     * pending forecast's origin (-1: none) and corrections.
     */
    public void write(double[] dst) {
        int i = 0;
        for (double[][][] moments : new double[][][][] {errors, crossErrors}) {
            for (double[][] member : moments) {
                for (double[] e : member) {
                    System.arraycopy(e, 0, dst, i, channels);
                    i += channels;
                }
            }
        }
        for (double[][] moment : new double[][][] {targetTimesOutput, outputSquared, residualSquared, correctedSquared}) {
            for (double[] m : moment) {
                System.arraycopy(m, 0, dst, i, channels);
                i += channels;
            }
        }
        for (int p = 0; p < pending.length; p++) {
            dst[i++] = origin[p];
            for (double[] o : pending[p]) {
                System.arraycopy(o, 0, dst, i, channels);
                i += channels;
            }
        }
    }

    /** Reads a state written by {@link #write}. */
    public void read(double[] src) {
        weightsStale = true;
        int i = 0;
        for (double[][][] moments : new double[][][][] {errors, crossErrors}) {
            for (double[][] member : moments) {
                for (double[] e : member) {
                    System.arraycopy(src, i, e, 0, channels);
                    i += channels;
                }
            }
        }
        for (double[][] moment : new double[][][] {targetTimesOutput, outputSquared, residualSquared, correctedSquared}) {
            for (double[] m : moment) {
                System.arraycopy(src, i, m, 0, channels);
                i += channels;
            }
        }
        for (int p = 0; p < pending.length; p++) {
            origin[p] = (long) src[i++];
            for (double[] o : pending[p]) {
                System.arraycopy(src, i, o, 0, channels);
                i += channels;
            }
        }
    }

    /** Forgets every error, moment and pending forecast. */
    public void clear() {
        weightsStale = true;
        for (double[][][] moments : new double[][][][] {errors, crossErrors}) {
            for (double[][] member : moments) {
                for (double[] e : member) {
                    Arrays.fill(e, 0.0);
                }
            }
        }
        for (int h = 0; h < horizon; h++) {
            Arrays.fill(targetTimesOutput[h], 0.0);
            Arrays.fill(outputSquared[h], 0.0);
        }
        for (double[][] moment : new double[][][] {residualSquared, correctedSquared}) {
            for (double[] m : moment) {
                Arrays.fill(m, 0.0);
            }
        }
        forgetPending();
    }
}

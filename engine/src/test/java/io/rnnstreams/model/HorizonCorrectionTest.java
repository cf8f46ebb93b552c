package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The corrected encoder-decoder ({@link Seq2SeqConfig#corrected}, {@link HorizonCorrection}): the members are
 * scored at every horizon on hand-made readings, the base weighs them by those errors, the gain is the clamped
 * least-squares weight, a fresh corrected model forecasts its base, the gradients with a base are exact (finite
 * differences, window = sequence against full BPTT), and the forecaster is deterministic and continues bit for
 * bit after export and import.
 */
class HorizonCorrectionTest {
    private static final int D = 2;

    private static LearnerConfig learner(CellType cell, int k1, int k2, int inputs) {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(inputs).hiddenSizes(6, 4).cellType(cell).seed(5).build())
                .k1(k1).k2(k2).optimizer(OptimizerConfig.sgd(0.05)).clipping(GradientClipping.NONE).residual(true)
                .build();
    }

    @Test
    void settingsAreValidated() {
        LearnerConfig residual = learner(CellType.GRU, 4, 8, D);
        LearnerConfig level = residual.toBuilder().residual(false).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seq2SeqConfig.corrected(level, 4, false, 0));
        assertTrue(e.getMessage().contains("residual=false"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Seq2SeqConfig(residual, 4, false, false, 3));
        assertTrue(e.getMessage().contains("got 3 (corrected=false)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Seq2SeqConfig.corrected(residual, 4, false, -1));
        assertEquals(2, Seq2SeqConfig.corrected(residual, 4, false, 3).lead(), "m - 1 readings before the first step");
        assertEquals(5, Seq2SeqConfig.corrected(residual, 6, true, 3).lead(), "N - 1 for the lag inputs, the larger");
        assertEquals(0, new Seq2SeqConfig(residual, 4).lead());
    }

    /** The state sizes docs/engine.md and docs/accuracy.md state (LSTM H = 32, k2 = 16: ETTh1 and SKAB shapes). */
    @Test
    void storedDoublesAreTheDocumentedOnes() {
        LearnerConfig ett = LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(7).hiddenSizes(32).cellType(CellType.LSTM).build())
                .k1(16).k2(16).build();
        LearnerConfig skab = ett.toBuilder()
                .network(ett.network().toBuilder().inputSize(8).outputSize(8).build()).build();
        assertEquals(597, new Seq2SeqState(new Seq2SeqConfig(ett, 24)).storedDoubles());
        assertEquals(2_106, new Seq2SeqState(Seq2SeqConfig.corrected(ett, 24, false, 24)).storedDoubles());
        assertEquals(2_106, new Seq2SeqState(Seq2SeqConfig.corrected(ett, 24, true, 24)).storedDoubles());
        assertEquals(1_240, new Seq2SeqState(new Seq2SeqConfig(skab, 60)).storedDoubles());
        assertEquals(4_124, new Seq2SeqState(Seq2SeqConfig.corrected(skab, 60, false, 0)).storedDoubles());
        assertEquals(4_596, new Seq2SeqState(Seq2SeqConfig.corrected(skab, 60, true, 0)).storedDoubles());
        // the stream's configuration (both levels): one more scored member (N D) on ETTh1, whose window already
        // keeps m - 1 = 23 readings; on SKAB two scored members (2 N D) and 11 more readings (11 D)
        assertEquals(2_106 + 24 * 7, new Seq2SeqState(Seq2SeqConfig.corrected(ett, 24, false, 24)
                .withLevel(Seq2SeqConfig.Level.BOTH)).storedDoubles());
        assertEquals(4_124 + 2 * 60 * 8 + 11 * 8, new Seq2SeqState(Seq2SeqConfig.corrected(skab, 60, false, 0)
                .withLevel(Seq2SeqConfig.Level.BOTH)).storedDoubles());
        // served since the minimum-variance combination and the chosen gain: K (K - 1) / 2 error products and the
        // gain's two error moments, N D each (ETTh1 with m = 24: three members, SKAB: two)
        assertEquals(2_106 + 24 * 7 + (3 + 2) * 24 * 7, new Seq2SeqState(Seq2SeqConfig.corrected(ett, 24, false, 24)
                .withLevel(Seq2SeqConfig.Level.BOTH).withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE)
                .withGainRule(Seq2SeqConfig.GainRule.CHOSEN)).storedDoubles());
        assertEquals(4_124 + 2 * 60 * 8 + 11 * 8 + (1 + 2) * 60 * 8, new Seq2SeqState(Seq2SeqConfig.corrected(skab,
                60, false, 0).withLevel(Seq2SeqConfig.Level.BOTH).withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE)
                .withGainRule(Seq2SeqConfig.GainRule.CHOSEN)).storedDoubles());
    }

    /**
     * N = 3, m = 2, one channel: readings 1, 2, 4, 8 pushed. A horizon is scored once every member's forecast is
     * held: seasonal persistence made at step o for step o + h reads x(o + h - 2 ceil(h/2)), so h = 1 and 2 are
     * scored from reading 4 on (on 4: persistence 2 and 1, seasonal 1 and 1; on 8: persistence 4 and 2, seasonal
     * 2 and 2), h = 3 not yet (it needs x(-1)).
     */
    @Test
    void membersAreScoredAtEveryHorizonTheWindowHolds() {
        Seq2SeqConfig config = Seq2SeqConfig.corrected(learner(CellType.ELMAN, 8, 8, 1), 3, false, 2);
        HorizonCorrection c = new HorizonCorrection(config);
        TbpttWindow window = new Seq2SeqState(config).window();
        for (double x : new double[] {1, 2, 4, 8}) {
            window.push(new double[] {x}, new double[0]);
            c.scoreMembers(window);
        }
        double[] state = new double[HorizonCorrection.size(config)];
        assertEquals(4 * 3 + 3 * (3 + 1), state.length, "(K + 2) N D with K = 2, 3 pending forecasts (s = 1)");
        c.write(state);
        double r = HorizonCorrection.ERROR_RATE;
        assertEquals(r * 16 + (1 - r) * r * 4, state[0], 1e-15, "persistence, h = 1: errors 2, then 4");
        assertEquals(r * 36 + (1 - r) * r * 9, state[1], 1e-15, "persistence, h = 2: errors 3, then 6");
        assertEquals(0.0, state[2], "h = 3 is not scored yet");
        assertEquals(r * 36 + (1 - r) * r * 9, state[3], 1e-15, "seasonal, h = 1: errors 3, then 6");
        assertEquals(r * 36 + (1 - r) * r * 9, state[4], 1e-15, "seasonal, h = 2: errors 3, then 6");
        assertEquals(0.0, state[5]);

        double[] w = new double[2];
        c.weights(2, 0, w);
        assertArrayEquals(new double[] {0.5, 0.5}, w, 1e-15, "equal errors at h = 2");
        c.weights(3, 0, w);
        assertArrayEquals(new double[] {0.5, 0.5}, w, 0.0, "equal before any error is known");
        c.weights(1, 0, w);
        double inv0 = Math.pow(state[0], -2);
        double inv1 = Math.pow(state[3], -2);
        assertEquals(inv0 / (inv0 + inv1), w[0], 1e-15);
        // the base of the newest step (8) at h = 1: w0 * 8 + w1 * x(t+1-2) = w0 * 8 + w1 * 4
        double[] base = new double[1];
        c.base(window.inputs, window.head(), window.count() - 1, 1, base);
        assertEquals(w[0] * 8 + w[1] * 4, base[0], 1e-15);
    }

    /**
     * The smoothed level ({@link Seq2SeqConfig#smoothedLevel()}): the base of a step is the mean of its last 12
     * readings weighted 0.3 * 0.7^j, renormalised (a step before the window's first reads that step); the window
     * keeps 11 more readings; a fresh corrected model (gain 0) forecasts that level at every horizon.
     */
    @Test
    void theSmoothedLevelIsTheWeightedMeanOfTheLast12Readings() {
        LearnerConfig learner = learner(CellType.ELMAN, 8, 8, 1);
        assertThrows(IllegalArgumentException.class, () -> new Seq2SeqConfig(learner, 3, false, false, 0,
                Seq2SeqConfig.Level.SMOOTHED, Seq2SeqConfig.GainRule.FITTED, Seq2SeqConfig.Combination.ERROR_POWER));
        Seq2SeqConfig config = Seq2SeqConfig.corrected(learner, 3, false, 0).withSmoothedLevel();
        assertEquals(11, config.lead());
        assertEquals(Seq2SeqConfig.corrected(learner, 3, false, 0).toString().replace("corrects persistence",
                "corrects a smoothed level"), config.toString());
        HorizonCorrection c = new HorizonCorrection(config);
        TbpttWindow window = new Seq2SeqState(config).window();
        double[] xs = new double[15];
        for (int t = 0; t < xs.length; t++) {
            xs[t] = (t * 7 % 5) + 0.1 * t;
            window.push(new double[] {xs[t]}, new double[0]);
        }
        double[] base = new double[1];
        for (int t : new int[] {14, 3}) {
            double sum = 0;
            double weights = 0;
            for (int j = 0; j < 12; j++) {
                double w = 0.3 * Math.pow(0.7, j);
                sum += w * xs[Math.max(0, t - j)];
                weights += w;
            }
            for (int h = 1; h <= 3; h++) {
                c.base(window.inputs, window.head(), t, h, base);
                assertEquals(sum / weights, base[0], 1e-12, "step " + t + ", h = " + h);
            }
        }
        // unnormalised, so the window holds the readings themselves; the head starts at 0 and nothing is trained
        // yet (15 readings < N + lead + 1 = 15 + 1), so the corrections are 0
        Seq2SeqLearner fresh = new Seq2SeqLearner(Seq2SeqConfig.corrected(learner.toBuilder().normaliseInputs(false)
                .build(), 3, false, 0).withSmoothedLevel());
        for (double x : xs) {
            fresh.observe(new double[] {x});
        }
        c.base(window.inputs, window.head(), 14, 1, base);
        for (double[] f : fresh.forecast(3)) {
            assertEquals(base[0], f[0], 1e-12, "no correction yet: the base");
        }
    }

    @Test
    void theGainIsTheClampedLeastSquaresWeight() {
        Seq2SeqConfig config = Seq2SeqConfig.corrected(learner(CellType.ELMAN, 8, 8, D), 2, false, 0);
        HorizonCorrection c = new HorizonCorrection(config);
        assertEquals(2 * 2 * D + 2 * (2 * D + 1), HorizonCorrection.size(config),
                "persistence alone: the gain's 2 N D moments, and 2 pending forecasts (s = 1) of N D and an origin");
        assertEquals(0.0, c.gain(1, 0), "no sample: switched off");
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2_000; i++) {
            double o = random.nextDouble(-1, 1);
            c.sample(1, new double[] {o, o}, new double[] {0.4 * o, -o});
            c.sample(2, new double[] {o, o}, new double[] {3 * o, Double.NaN});
        }
        assertEquals(0.4, c.gain(1, 0), 1e-12);
        assertEquals(0.0, c.gain(1, 1), "a correction of the wrong sign is switched off");
        assertEquals(1.0, c.gain(2, 0), "at most the whole correction");
        assertEquals(0.0, c.gain(2, 1), "non-finite pairs are skipped");
    }

    /**
     * The stream's base ({@link Seq2SeqConfig.Level#BOTH}): persistence and the smoothed level are two members (three
     * with a period), both scored, and the base is their error-weighted combination. The gain starts at 0, one pair
     * (o = 1, r = 1) sets it to 1, and clearing starts it again from 0.
     */
    @Test
    void theStreamsBaseHasBothLevels() {
        LearnerConfig learner = learner(CellType.ELMAN, 8, 8, 1).toBuilder().normaliseInputs(false).build();
        Seq2SeqConfig both = Seq2SeqConfig.corrected(learner, 3, false, 0).withLevel(Seq2SeqConfig.Level.BOTH);
        assertEquals(Seq2SeqConfig.corrected(learner, 3, false, 0).toString().replace("corrects persistence",
                "corrects persistence and a smoothed level"), both.toString());
        assertEquals(11, both.lead());
        assertEquals(3, new HorizonCorrection(Seq2SeqConfig.corrected(learner, 3, false, 2)
                .withLevel(Seq2SeqConfig.Level.BOTH)).members());
        HorizonCorrection c = new HorizonCorrection(both);
        assertEquals(2, c.members());
        assertEquals(4 * 3 + 3 * (3 + 1), HorizonCorrection.size(both), "two scored members, the moments, 3 pending");
        TbpttWindow window = new Seq2SeqState(both).window();
        double[] xs = new double[15];
        for (int t = 0; t < xs.length; t++) {
            xs[t] = (t * 7 % 5) + 0.1 * t;
            window.push(new double[] {xs[t]}, new double[0]);
            c.observe(window, t);
        }
        double level = 0;
        for (int j = 0; j < 12; j++) {
            level += HorizonCorrection.levelWeight(j) * xs[14 - j];
        }
        double[] w = new double[2];
        c.weights(2, 0, w);
        assertTrue(w[0] > 0 && w[1] > 0 && w[0] != w[1], java.util.Arrays.toString(w));
        assertEquals(1.0, w[0] + w[1], 1e-15);
        double[] base = new double[1];
        c.base(window.inputs, window.head(), 14, 2, base);
        assertEquals(w[0] * xs[14] + w[1] * level, base[0], 1e-12);

        c.clear();
        assertEquals(0.0, c.gain(1, 0), "no pair: switched off");
        c.sample(1, new double[] {1}, new double[] {1});
        assertEquals(1.0, c.gain(1, 0), 1e-15, "one pair sets the gain");
        c.clear();
        assertEquals(0.0, c.gain(1, 0), "cleared: switched off again");
    }

    /**
     * The gain learns prequential pairs: N = 8, so the corrections of every s = 2nd reading are kept (4 pending).
     * Readings x(t) = t^2, persistence alone: the correction h^3 made at reading 0 for horizon h is scored at
     * reading h against the base's error x(h) - x(0) = h^2, so the gain is h^2 h^3 / h^6 = 1/h; the later even
     * readings' corrections are 0 (they scale both moments alike) and the odd ones' (1000) are never kept.
     */
    @Test
    void theGainLearnsEachKeptCorrectionWhenItsTargetArrives() {
        int n = 8;
        Seq2SeqConfig config = Seq2SeqConfig.corrected(learner(CellType.ELMAN, 64, 64, 1), n, false, 0);
        HorizonCorrection c = new HorizonCorrection(config);
        TbpttWindow window = new Seq2SeqState(config).window();
        double[][] outputs = new double[n][1];
        for (int reading = 0; reading <= 3 * n; reading++) {
            window.push(new double[] {(double) reading * reading}, new double[0]);
            c.observe(window, reading);
            for (int h = 1; h <= n; h++) {
                outputs[h - 1][0] = reading == 0 ? h * h * h : reading % 2 == 1 ? 1000 : 0;
            }
            c.remember(reading, outputs);
        }
        for (int h = 1; h <= n; h++) {
            assertEquals(1.0 / h, c.gain(h, 0), 1e-12, "h = " + h);
        }
    }

    /**
     * A series of period 5 that repeats exactly: the seasonal member is exact at every horizon, so it takes the
     * whole weight, and a fresh corrected model (gain 0 before its first training) forecasts seasonal persistence.
     */
    @Test
    void aFreshCorrectedModelForecastsItsBase() {
        // readings not normalised: the window's copies of them do not depend on when they arrived
        Seq2SeqConfig config = Seq2SeqConfig.corrected(learner(CellType.LSTM, 64, 64, 1).toBuilder()
                .normaliseInputs(false).build(), 7, false, 5);
        Seq2SeqLearner learner = new Seq2SeqLearner(config);
        double[] pattern = {3, 1, 4, 1, 5};
        for (int t = 0; t < 40; t++) {
            learner.observe(new double[] {pattern[t % 5]});
        }
        assertEquals(0, learner.model().updates());
        double[][] f = learner.forecast(7);
        for (int h = 1; h <= 7; h++) {
            assertEquals(pattern[(39 + h) % 5], f[h - 1][0], 1e-9, "h = " + h);
        }
    }

    /** The window loss's gradient with a base, against central finite differences, every parameter and the anchor. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(CellType.class)
    void gradientWithABaseMatchesFiniteDifferences(CellType cell) {
        for (int variant = 0; variant < 6; variant++) {
            boolean lag = variant % 2 == 1;
            // variants 2, 3: persistence, the smoothed level and seasonal persistence; 4, 5: the same base at minimum
            // error variance with the chosen gain (the stream's)
            Seq2SeqConfig.Level level = variant < 2 ? Seq2SeqConfig.Level.LAST_READING : Seq2SeqConfig.Level.BOTH;
            int n = 3;
            int steps = level.smoothed() ? 16 : 8;
            Seq2SeqConfig config = Seq2SeqConfig.corrected(learner(cell, 4, steps - n, D), n, lag, 2).withLevel(level);
            if (variant >= 4) {
                config = config.withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE)
                        .withGainRule(Seq2SeqConfig.GainRule.CHOSEN);
            }
            EncoderDecoder model = new EncoderDecoder(config);
            SplittableRandom random = new SplittableRandom(13);
            EncoderDecoderGradientCheckTest.perturb(model, random);
            double[][] ring = new double[steps + 2][D];
            for (double[] x : ring) {
                x[0] = random.nextDouble(-1.5, 1.5);
                x[1] = random.nextDouble(-1.5, 1.5);
            }
            HorizonCorrection correction = correctionWithErrors(config, random);
            double[] anchor = new double[model.stateSize()];
            for (int i = 0; i < anchor.length; i++) {
                anchor[i] = random.nextDouble(-0.8, 0.8);
            }
            EncoderDecoderBptt bptt = new EncoderDecoderBptt(model);
            bptt.base(correction);
            int positions = steps - n - config.lead();
            model.zeroGradients();
            double[] dAnchor = new double[anchor.length];
            double withBase = bptt.lossAndGradient(anchor, ring, 3, steps, positions, dAnchor);
            double eps = 1e-5;
            double worst = 0;
            for (Parameter p : model.parameters()) {
                for (int j = 0; j < p.cols(); j++) {
                    for (int i = 0; i < p.rows(); i++) {
                        double saved = p.get(i, j);
                        p.set(i, j, saved + eps);
                        double plus = bptt.loss(anchor, ring, 3, steps, positions);
                        p.set(i, j, saved - eps);
                        double minus = bptt.loss(anchor, ring, 3, steps, positions);
                        p.set(i, j, saved);
                        worst = Math.max(worst, GradientCheckTest.error(p.gradient(i, j), (plus - minus) / (2 * eps)));
                    }
                }
            }
            for (int i = 0; i < anchor.length; i++) {
                double saved = anchor[i];
                anchor[i] = saved + eps;
                double plus = bptt.loss(anchor, ring, 3, steps, positions);
                anchor[i] = saved - eps;
                double minus = bptt.loss(anchor, ring, 3, steps, positions);
                anchor[i] = saved;
                worst = Math.max(worst, GradientCheckTest.error(dAnchor[i], (plus - minus) / (2 * eps)));
            }
            bptt.base(null);
            double plain = bptt.loss(anchor, ring, 3, steps, positions);
            System.out.printf("corrected seq2seq gradient check %s lagInputs=%s base %s: worst %.2e (loss %.4f with the "
                    + "base, %.4f relative to x_t)%n", cell, lag, level, worst, withBase, plain);
            assertTrue(worst < 1e-6, "worst relative error " + worst);
            assertTrue(Math.abs(withBase - plain) > 1e-3, "the base changes the targets");
        }
    }

    /**
     * With a window holding the whole sequence, the corrected model's TBPTT gradient equals the mean of each
     * supervised step's own gradient (one pass per step over its prefix, the same base).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(CellType.class)
    void windowHoldingTheSequenceGivesTheFullBpttGradient(CellType cell) {
        windowHoldingTheSequenceGivesTheFullBpttGradient(cell, Seq2SeqConfig.Level.LAST_READING, false);
    }

    /** As above with both levels: persistence, the smoothed level and seasonal persistence. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(CellType.class)
    void windowHoldingTheSequenceGivesTheFullBpttGradientWithTheStreamsBase(CellType cell) {
        windowHoldingTheSequenceGivesTheFullBpttGradient(cell, Seq2SeqConfig.Level.BOTH, false);
    }

    /** As above with the members at minimum error variance and the chosen gain (the stream's since branch s2s14d). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(CellType.class)
    void windowHoldingTheSequenceGivesTheFullBpttGradientAtMinimumVariance(CellType cell) {
        windowHoldingTheSequenceGivesTheFullBpttGradient(cell, Seq2SeqConfig.Level.BOTH, true);
    }

    private static void windowHoldingTheSequenceGivesTheFullBpttGradient(CellType cell, Seq2SeqConfig.Level level,
                                                                         boolean minVariance) {
        int t = 20;
        int n = 4;
        Seq2SeqConfig config = Seq2SeqConfig.corrected(learner(cell, t, t, D), n, true, 3).withLevel(level);
        if (minVariance) {
            config = config.withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE)
                    .withGainRule(Seq2SeqConfig.GainRule.CHOSEN);
        }
        SplittableRandom random = new SplittableRandom(1);
        double[][] xs = new double[t][D];
        for (double[] x : xs) {
            x[0] = random.nextDouble(-1, 1);
            x[1] = random.nextDouble(-1, 1);
        }
        EncoderDecoderModel model = new EncoderDecoderModel(config);
        EncoderDecoderGradientCheckTest.perturb(model.network(), new SplittableRandom(2)); // a residual head starts at 0
        HorizonCorrection correction = correctionWithErrors(config, random);
        double[] saved = new double[HorizonCorrection.size(config)];
        correction.write(saved);
        TbpttWindow window = new Seq2SeqState(config).window();
        double[] initial = new double[model.network().parameterCount()];
        model.network().writeParameters(initial);
        boolean due = false;
        for (double[] x : xs) {
            due = window.push(x, new double[0]);
        }
        assertTrue(due);
        model.train(window, correction);
        double[] tbptt = new double[initial.length];
        model.network().writeGradients(tbptt);

        EncoderDecoder reference = new EncoderDecoder(config);
        reference.readParameters(initial);
        EncoderDecoderBptt bptt = new EncoderDecoderBptt(reference);
        HorizonCorrection same = new HorizonCorrection(config);
        same.read(saved);
        bptt.base(same);
        double[] zero = new double[reference.stateSize()];
        int lead = config.lead();
        int supervised = t - n - lead;
        double[] full = FullBptt.meanGradient(lead, supervised, tbptt.length, (one, s) -> {
            reference.zeroGradients();
            bptt.lossAndGradient(zero, xs, 0, s + 1 + n, 1, null);
            reference.writeGradients(one);
        });
        FullBptt.assertEquivalent("corrected seq2seq (window = sequence), " + cell + ", base " + level, tbptt, full);
    }

    /**
     * The gain weighed against the uncorrected base ({@link Seq2SeqConfig.GainRule#CHOSEN}) by hand: the first pair
     * (o, r) = (1, 1) is scored with the gain 0 (no pair yet): the corrected forecast's squared error 1, the base's
     * 1, so E = 0.01 each, equal weights, gain 1 x 1/2. The second pair (1, 1) is scored with that gain 1/2: the
     * corrected error 1/4, so E[(r - g o)^2] = 0.01 + 0.01 (0.25 - 0.01) = 0.0124 against the base's 0.0199: the
     * corrected forecast's weight 0.0124^-2 / (0.0199^-2 + 0.0124^-2) times the fitted gain 1.
     */
    @Test
    void theChosenGainIsTheFittedOneWeighedAgainstTheBaseByPrequentialErrors() {
        LearnerConfig learner = learner(CellType.ELMAN, 8, 8, 1);
        Seq2SeqConfig fitted = Seq2SeqConfig.corrected(learner, 2, false, 0);
        Seq2SeqConfig config = fitted.withGainRule(Seq2SeqConfig.GainRule.CHOSEN);
        assertEquals(HorizonCorrection.size(fitted) + 2 * 2, HorizonCorrection.size(config));
        HorizonCorrection c = new HorizonCorrection(config);
        assertEquals(0.0, c.gain(1, 0));
        c.sample(1, new double[] {1}, new double[] {1});
        assertEquals(0.5, c.gain(1, 0), 1e-15);
        c.sample(1, new double[] {1}, new double[] {1});
        double wb = Math.pow(0.0199, -2);
        double wc = Math.pow(0.0124, -2);
        assertEquals(wc / (wb + wc), c.gain(1, 0), 1e-12);
        for (int i = 0; i < 400; i++) {
            c.sample(2, new double[] {1}, new double[] {-1});
        }
        assertEquals(0.0, c.gain(2, 0), "a correction of the wrong sign: the fitted gain is 0 already");
        double[] state = new double[HorizonCorrection.size(config)];
        c.write(state);
        HorizonCorrection read = new HorizonCorrection(config);
        read.read(state);
        assertEquals(Double.doubleToRawLongBits(c.gain(1, 0)), Double.doubleToRawLongBits(read.gain(1, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Seq2SeqConfig(learner, 2, false, false, 0, Seq2SeqConfig.Level.LAST_READING,
                        Seq2SeqConfig.GainRule.CHOSEN, Seq2SeqConfig.Combination.ERROR_POWER));
        assertTrue(e.getMessage().contains("gainRule=CHOSEN, combination=ERROR_POWER (corrected=false)"), e.getMessage());
    }

    /**
     * The members' errors at every horizon h are averaged at the one rate 0.02 and weighted by their power -2 (the
     * error-power combination): at h = 1 and h = 3 the weights are those recomputed by hand from the window's readings
     * (readings that favour the two members in turn, so the weights differ between the horizons).
     */
    @Test
    void theMembersErrorsAreAveragedAtOneRateAtEveryHorizon() {
        LearnerConfig learner = learner(CellType.ELMAN, 8, 8, 1).toBuilder().normaliseInputs(false).build();
        Seq2SeqConfig config = Seq2SeqConfig.corrected(learner, 3, false, 0).withLevel(Seq2SeqConfig.Level.BOTH);
        HorizonCorrection c = new HorizonCorrection(config);
        TbpttWindow window = new Seq2SeqState(config).window();
        for (int t = 0; t < 15; t++) {
            window.push(new double[] {(t * 7 % 5) + 0.1 * t * t}, new double[0]);
            c.observe(window, t);
        }
        double[] w1 = new double[2];
        double[] w3 = new double[2];
        c.weights(1, 0, w1);
        c.weights(3, 0, w3);
        assertTrue(Math.abs(w1[0] - w3[0]) > 1e-6, java.util.Arrays.toString(w1) + " " + java.util.Arrays.toString(w3));
        assertEquals(weightsByHand(window, 1, 0.02)[0], w1[0], 1e-12);
        assertEquals(weightsByHand(window, 3, 0.02)[0], w3[0], 1e-12);
    }

    /**
     * The minimum-variance combination ({@link Seq2SeqConfig.Combination#MIN_VARIANCE}) by hand, two members with
     * error covariance [[a, c], [c, b]] (set through the state: the members' errors, then their product): the weight of
     * the first is (b - c) / (a + b - 2c) inside [0, 1] (a = 1, b = 2, c = 0.5: 0.75, where the error-power rule
     * gives 0.8); nearly the same errors (a = 1, b = 1.1, c = 1) or c above a: the first alone. Three members (with
     * a period): on random covariances, never above the least variance of a grid over the simplex. The state holds
     * K (K - 1) / 2 N D more moments.
     */
    @Test
    void theMinimumVarianceCombinationTakesTheBetterOfTwoNearlyEqualMembers() {
        LearnerConfig learner = learner(CellType.ELMAN, 8, 8, 1);
        Seq2SeqConfig power = Seq2SeqConfig.corrected(learner, 1, false, 0).withLevel(Seq2SeqConfig.Level.BOTH);
        Seq2SeqConfig config = power.withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE);
        assertEquals(HorizonCorrection.size(power) + 1, HorizonCorrection.size(config));
        assertTrue(config.toString().contains(", members combined at minimum error variance"), config.toString());
        double[][] cases = {{1, 2, 0.5, 0.75}, {1, 1.1, 1.0, 1.0}, {1, 2, 1.2, 1.0}, {2, 1, 0.5, 0.25}};
        double[] w = new double[2];
        for (double[] k : cases) {
            HorizonCorrection c = new HorizonCorrection(config);
            double[] state = new double[HorizonCorrection.size(config)];
            state[0] = k[0];
            state[1] = k[1];
            state[2] = k[2];
            c.read(state);
            c.weights(1, 0, w);
            assertEquals(k[3], w[0], 1e-12, java.util.Arrays.toString(k));
            assertEquals(1 - k[3], w[1], 1e-12, java.util.Arrays.toString(k));
        }
        HorizonCorrection p = new HorizonCorrection(power);
        p.read(new double[HorizonCorrection.size(power)]);
        double[] state = new double[HorizonCorrection.size(power)];
        state[0] = 1;
        state[1] = 2;
        p.read(state);
        p.weights(1, 0, w);
        assertEquals(0.8, w[0], 1e-12, "the error-power rule: 1 / (1 + 2^-2)");

        Seq2SeqConfig three = Seq2SeqConfig.corrected(learner, 1, false, 2).withLevel(Seq2SeqConfig.Level.BOTH)
                .withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE);
        SplittableRandom random = new SplittableRandom(11);
        double[] w3 = new double[3];
        for (int trial = 0; trial < 200; trial++) {
            double[][] a = new double[3][3];
            for (double[] row : a) {
                for (int j = 0; j < 3; j++) {
                    row[j] = random.nextDouble(-1, 1);
                }
            }
            double[][] cov = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int m = 0; m < 3; m++) {
                        cov[i][j] += a[i][m] * a[j][m];
                    }
                }
            }
            double[] st = new double[HorizonCorrection.size(three)];
            st[0] = cov[0][0];
            st[1] = cov[1][1];
            st[2] = cov[2][2];
            st[3] = cov[0][1];
            st[4] = cov[0][2];
            st[5] = cov[1][2];
            HorizonCorrection c = new HorizonCorrection(three);
            c.read(st);
            c.weights(1, 0, w3);
            assertEquals(1.0, w3[0] + w3[1] + w3[2], 1e-12);
            assertTrue(w3[0] >= 0 && w3[1] >= 0 && w3[2] >= 0, java.util.Arrays.toString(w3));
            double chosen = quadratic(cov, w3);
            double grid = Double.POSITIVE_INFINITY;
            for (int i = 0; i <= 100; i++) {
                for (int j = 0; i + j <= 100; j++) {
                    grid = Math.min(grid, quadratic(cov, new double[] {i / 100.0, j / 100.0, (100 - i - j) / 100.0}));
                }
            }
            assertTrue(chosen <= grid + 1e-12, "trial " + trial + ": " + chosen + " above the grid's " + grid);
        }
    }

    private static double quadratic(double[][] cov, double[] w) {
        double q = 0;
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                q += w[i] * cov[i][j] * w[j];
            }
        }
        return q;
    }

    /** The members' weights at horizon h recomputed from the window's readings with the error rate {@code rate}. */
    private static double[] weightsByHand(TbpttWindow window, int h, double rate) {
        int n = window.count();
        double[] xs = new double[n];
        for (int t = 0; t < n; t++) {
            xs[t] = window.inputs[(window.head() + t) % window.inputs.length][0];
        }
        double[] errors = new double[2];
        for (int t = h; t < n; t++) {
            int origin = t - h;
            double level = 0;
            for (int j = 0; j < HorizonCorrection.LEVEL_READINGS; j++) {
                level += HorizonCorrection.levelWeight(j) * xs[Math.max(0, origin - j)];
            }
            double dp = xs[t] - xs[origin];
            double dl = xs[t] - level;
            errors[0] += rate * (dp * dp - errors[0]);
            errors[1] += rate * (dl * dl - errors[1]);
        }
        double w0 = Math.pow(errors[0], -2);
        double w1 = Math.pow(errors[1], -2);
        return new double[] {w0 / (w0 + w1), w1 / (w0 + w1)};
    }

    @ParameterizedTest(name = "lagInputs={0}, base {1}, minimum variance and chosen gain {2}")
    @CsvSource({"false, LAST_READING, false", "true, LAST_READING, false", "false, BOTH, false", "true, BOTH, false",
            "false, BOTH, true", "true, BOTH, true"})
    void deterministicAndExportImportContinueBitIdentically(boolean lag, Seq2SeqConfig.Level level,
                                                            boolean minVariance) {
        Seq2SeqConfig config = Seq2SeqConfig.corrected(LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(3).hiddenSizes(16, 8).cellType(CellType.LSTM).seed(17).build())
                .k1(4).k2(12).optimizer(OptimizerConfig.adam(0.01)).build(), 7, lag, 5).withLevel(level);
        if (minVariance) {
            config = config.withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE)
                    .withGainRule(Seq2SeqConfig.GainRule.CHOSEN);
        }
        Seq2SeqForecaster forecaster = new Seq2SeqForecaster(config);
        EncoderDecoderModel model = new EncoderDecoderModel(config);
        Seq2SeqState state = new Seq2SeqState(config);
        EncoderDecoderModel twinModel = new EncoderDecoderModel(config);
        Seq2SeqState twin = new Seq2SeqState(config);
        for (int t = 0; t < 1_500; t++) {
            forecaster.observe(model, state, reading(t));
            forecaster.observe(twinModel, twin, reading(t));
            assertBitsEqual(forecaster.forecast(state, 7), forecaster.forecast(twin, 7), t);
        }
        EncoderDecoderModel resumedModel = new EncoderDecoderModel(config);
        Seq2SeqState resumed = new Seq2SeqState(config);
        resumedModel.importState(model.exportState());
        resumed.importState(state.exportState());
        assertEquals(HorizonCorrection.size(config), state.exportState().windowTargets().length);
        boolean gained = false;
        for (int t = 1_500; t < 3_000; t++) {
            forecaster.observe(model, state, reading(t));
            forecaster.observe(resumedModel, resumed, reading(t));
            assertBitsEqual(forecaster.forecast(state, 7), forecaster.forecast(resumed, 7), t);
            for (int h = 1; h <= 7; h++) {
                for (int c = 0; c < 3; c++) {
                    gained |= state.correction().gain(h, c) > 0;
                }
            }
        }
        assertTrue(gained, "the correction was used at some reading");
        assertEquals(model.updates(), resumedModel.updates());
        Seq2SeqState plain = new Seq2SeqState(new Seq2SeqConfig(config.learner(), 7, lag));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.importState(state.exportState()));
        assertTrue(e.getMessage().startsWith("window inputs") || e.getMessage().startsWith("window targets"),
                e.getMessage());
        if (!lag) {
            Seq2SeqState corrected = new Seq2SeqState(config);
            e = assertThrows(IllegalArgumentException.class, () -> corrected.importState(plain.exportState()));
            assertTrue(e.getMessage().startsWith("this key state was written by the plain encoder-decoder"),
                    e.getMessage());
        }
    }

    private static double[] reading(int t) {
        return new double[] {Math.sin(t * 0.1), Math.cos(t * 0.37) * 5 + 100, (t % 17) * 0.25};
    }

    private static void assertBitsEqual(double[][] a, double[][] b, int t) {
        for (int h = 0; h < a.length; h++) {
            for (int i = 0; i < a[h].length; i++) {
                assertEquals(Double.doubleToRawLongBits(a[h][i]), Double.doubleToRawLongBits(b[h][i]),
                        "reading " + t + ", horizon " + (h + 1));
            }
        }
    }

    /** A correction whose member errors are random and positive, so that the base's weights are not trivial. */
    private static HorizonCorrection correctionWithErrors(Seq2SeqConfig config, SplittableRandom random) {
        HorizonCorrection correction = new HorizonCorrection(config);
        double[] state = new double[HorizonCorrection.size(config)];
        int errors = HorizonCorrection.scoredMembers(config) * config.horizon() * config.channels();
        for (int i = 0; i < errors; i++) {
            state[i] = random.nextDouble(0.2, 2.0);
        }
        correction.read(state);
        return correction;
    }
}

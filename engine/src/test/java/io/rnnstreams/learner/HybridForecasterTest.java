package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.ClassicalForecasters;
import io.rnnstreams.eval.ErrorWeightedCombination;
import io.rnnstreams.eval.StateSize;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hybrid learner's per-reading core, Kafka-free: its ablation, its determinism, and that its recurrent part learns. */
class HybridForecasterTest {
    static LearnerConfig config(int period) {
        return HybridForecaster.networkConfig(LearnerConfig.builder().build(), 1, period, 1.0);
    }

    /** Two keys of the noisy logistic map, interleaved: {@code x[t][k]}. */
    static double[][] logistic(int n) {
        Random random = new Random(3);
        double[] x = {0.3, 0.7};
        double[][] out = new double[n][2];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < 2; k++) {
                x[k] = 3.9 * x[k] * (1 - x[k]);
                out[t][k] = x[k] + 0.01 * random.nextGaussian();
            }
        }
        return out;
    }

    /**
     * The ablation is the classical combination on the compact Holt-Winters grid
     * ({@link ClassicalForecasters#compactCombination}) with its state kept in float (as a key's state is stored):
     * the same forecaster up to float rounding of its state after every reading, so its forecasts differ from
     * the double-precision one's by rounding only.
     */
    @Test
    void theAblationIsTheCompactClassicalCombinationKeptInFloat() {
        HybridForecaster ablation = new HybridForecaster(ModelScope.KEY, config(24), 24, 8, false,
                ModelRepository.inMemory(), 10);
        HybridForecaster.KeyState state = ablation.newKey();
        ErrorWeightedCombination combination = ClassicalForecasters.compactCombination(1, 24, 8);
        Random random = new Random(1);
        double combinationError = 0;
        double ablationError = 0;
        double worst = 0;
        double[] previous = null;
        double[] previousAblation = null;
        for (int t = 0; t < 2_000; t++) {
            double[] x = {10 + Math.sin(2 * Math.PI * t / 24) + 0.2 * random.nextGaussian()};
            if (previous != null) {
                combinationError += Math.abs(x[0] - previous[0]);
                ablationError += Math.abs(x[0] - previousAblation[0]);
            }
            previous = combination.next(x);
            previousAblation = ablation.observe("a", state, x);
            worst = Math.max(worst, Math.abs(previous[0] - previousAblation[0]));
        }
        System.out.printf("ablation kept in float: MAE %.9f against the combination's %.9f, worst difference %.2e%n",
                ablationError, combinationError, worst);
        assertEquals(1.0, ablationError / combinationError, 1e-4);
        assertTrue(worst < 1e-3, "worst difference " + worst);
    }

    /**
     * A key's state exported and imported between every reading (as the stream stores it) forecasts bit for
     * bit what the state kept in memory forecasts; an export of an imported state is the same export.
     */
    @ParameterizedTest(name = "slow inputs {0}, gain {1}, mixture {2}")
    @CsvSource({"false, ABSOLUTE, false", "true, ABSOLUTE, false", "false, LEAST_SQUARES, false",
            "false, ABSOLUTE, true"})
    void theStoredStateContinuesBitForBit(boolean slowInputs, GainFit gainFit, boolean mixture) {
        double[][] x = logistic(1_500);
        LearnerConfig config = HybridForecaster.networkConfig(LearnerConfig.builder().build(), 1, 24, 1.0, slowInputs,
                mixture);
        HybridForecaster inMemory = new HybridForecaster(ModelScope.SHARED, config, 24, 8, true,
                HybridForecaster.ANCHORED, HybridForecaster.Tuning.DEFAULTS.withGainFit(gainFit),
                ModelRepository.inMemory(), 10, ModelCacheBudget.unbounded(), null);
        HybridForecaster stored = new HybridForecaster(ModelScope.SHARED, config, 24, 8, true,
                HybridForecaster.ANCHORED, HybridForecaster.Tuning.DEFAULTS.withGainFit(gainFit),
                ModelRepository.inMemory(), 10, ModelCacheBudget.unbounded(), null);
        HybridForecaster.KeyState[] kept = {inMemory.newKey(), inMemory.newKey()};
        io.rnnstreams.model.CompactState[] saved = new io.rnnstreams.model.CompactState[2];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < 2; k++) {
                double[] reading = {x[t][k]};
                double[] expected = inMemory.observe("key-" + k, kept[k], reading);
                HybridForecaster.KeyState loaded = saved[k] == null ? stored.newKey() : stored.restore(saved[k]);
                double[] actual = stored.observe("key-" + k, loaded, reading);
                assertEquals(Double.doubleToLongBits(expected[0]), Double.doubleToLongBits(actual[0]),
                        "reading " + t + " of key " + k);
                saved[k] = stored.exportState(loaded);
                assertEquals(saved[k], stored.exportState(stored.restore(saved[k])), "round trip at " + t);
                if ((t + k) % 7 == 3) {
                    // the state kept in memory, exported only now and then (as the stream does at its commits since
                    // branch tput18h): the export made at every reading, byte for byte
                    assertEquals(saved[k], inMemory.exportState(kept[k]), "export at " + t + " of key " + k);
                }
            }
        }
        assertEquals(inMemory.exportState(kept[0]), saved[0]);
        assertEquals(inMemory.exportState(kept[1]), saved[1]);
    }

    /**
     * Issue 12 item 4 for the hybrid: a forecaster given the seeded initialisation made beforehand (as the stream
     * makes it once, off its threads) forecasts bit for bit as one that makes it at its first model; and the
     * snapshot is what it starts from (another seed's forecasts differ).
     */
    @Test
    void aForecasterStartedFromTheSeededSnapshotForecastsBitForBitAsOneThatMakesIt() {
        double[][] x = logistic(400);
        LearnerConfig config = config(0);
        LearnerConfig otherSeed = config.toBuilder()
                .network(config.network().toBuilder().seed(config.network().seed() + 1).build()).build();
        HybridForecaster[] learners = {
            new HybridForecaster(ModelScope.KEY, config, 0, 8, true, HybridForecaster.ANCHORED,
                    HybridForecaster.Tuning.DEFAULTS, ModelRepository.inMemory(), 10, ModelCacheBudget.unbounded(),
                    null),
            new HybridForecaster(ModelScope.KEY, config, 0, 8, true, HybridForecaster.ANCHORED,
                    HybridForecaster.Tuning.DEFAULTS, ModelRepository.inMemory(), 10, ModelCacheBudget.unbounded(),
                    new Model(config).exportState()),
            new HybridForecaster(ModelScope.KEY, config, 0, 8, true, HybridForecaster.ANCHORED,
                    HybridForecaster.Tuning.DEFAULTS, ModelRepository.inMemory(), 10, ModelCacheBudget.unbounded(),
                    new Model(otherSeed).exportState())};
        HybridForecaster.KeyState[] states = {learners[0].newKey(), learners[1].newKey(), learners[2].newKey()};
        int differing = 0;
        for (int t = 0; t < x.length; t++) {
            double[] reading = {x[t][0]};
            double[] made = learners[0].observe("key", states[0], reading);
            double[] given = learners[1].observe("key", states[1], reading);
            double[] other = learners[2].observe("key", states[2], reading);
            assertEquals(Double.doubleToLongBits(made[0]), Double.doubleToLongBits(given[0]), "reading " + t);
            differing += made[0] != other[0] ? 1 : 0;
        }
        assertTrue(differing > 200, "another seed's snapshot changes the forecasts: " + differing + " of 400");
    }

    /**
     * A key's state stored before the halves (recurrent state, anchor, window pairs, normaliser and last input all
     * in float, in that order; Holt-Winters on its full grid of 27 candidates) is read: the recurrent part exactly,
     * the linear path's Holt-Winters as the candidates the compact grid keeps
     * ({@link io.rnnstreams.eval.OnlineHoltWinters#adopt}), and the key carries on about as well as one that was
     * never stored.
     */
    @Test
    void aStateStoredBeforeTheHalvesIsRead() {
        double[][] x = logistic(1_000);
        HybridForecaster learner = new HybridForecaster(ModelScope.SHARED, config(24), 24, 8, true,
                ModelRepository.inMemory(), 10);
        HybridForecaster.KeyState kept = learner.newKey();
        ErrorWeightedCombination full = ClassicalForecasters.combination(1, 24, 8);
        for (int t = 0; t < 500; t++) {
            learner.observe("a", kept, new double[] {x[t][0]});
            full.next(new double[] {x[t][0]});
        }
        io.rnnstreams.model.SequenceSnapshot s = kept.sequence();
        io.rnnstreams.model.CompactState.Writer out = new io.rnnstreams.model.CompactState.Writer();
        out.flag(kept.hasBase).counter(kept.modelVersion).exact(kept.lastForecast);
        // the least-squares gain's two moments of that layout (GainFit.ABSOLUTE keeps none)
        out.values(kept.lastBase).values(kept.lastCorrection).values(new double[1]).values(new double[1]);
        kept.residuals.writeState(out);
        full.writeState(out);
        out.counter(s.readings()).counter(s.windowCount()).counter(s.windowHead()).counter(s.pushesSinceUpdate())
                .flag(s.hasLastInput());
        out.values(s.hiddenState()).values(s.anchor());
        int inputs = s.windowInputs().length / 16;
        for (int slot = 0; slot < 16; slot++) {
            out.values(java.util.Arrays.copyOfRange(s.windowInputs(), slot * inputs, (slot + 1) * inputs))
                    .values(java.util.Arrays.copyOfRange(s.windowTargets(), slot, slot + 1));
        }
        out.counter(s.normaliserCount()).values(s.normaliserMean()).values(s.normaliserM2()).values(s.lastInput());
        io.rnnstreams.model.CompactState old = out.build();
        assertEquals(0, old.halves().length);

        HybridForecaster.KeyState read = learner.restore(old);
        io.rnnstreams.model.SequenceSnapshot r = read.sequence();
        org.junit.jupiter.api.Assertions.assertArrayEquals(s.hiddenState(), r.hiddenState(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(s.anchor(), r.anchor(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(s.windowInputs(), r.windowInputs(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(s.windowTargets(), r.windowTargets(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(s.normaliserMean(), r.normaliserMean(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(s.lastInput(), r.lastInput(), 0.0);
        assertEquals(s.readings(), r.readings());
        assertEquals(s.windowHead(), r.windowHead());
        org.junit.jupiter.api.Assertions.assertArrayEquals(kept.lastForecast(), read.lastForecast(), 0.0);

        // both continue on the same shared model (in the stream it is stored apart from the key's state)
        double keptError = 0;
        double readError = 0;
        double[] fk = kept.lastForecast();
        double[] fr = read.lastForecast();
        for (int t = 500; t < 1_000; t++) {
            double[] reading = {x[t][0]};
            keptError += Math.abs(reading[0] - fk[0]);
            readError += Math.abs(reading[0] - fr[0]);
            fk = learner.observe("a", kept, reading);
            fr = learner.observe("a", read, reading);
        }
        assertTrue(learner.exportState(read).halves().length > 0, "stored again in the current layout");
        System.out.printf("a state of the layout before the halves, read and continued: MAE %.5f against %.5f%n",
                readError / 500, keptError / 500);
        assertEquals(1.0, readError / keptError, 0.05);
    }

    /**
     * A state written before the lattice snap (branch skab18: it ends after the gain's candidate errors) is read by
     * the snapping forecaster, whose snap starts afresh (no quantum, no advantage); the rest continues as stored.
     */
    @Test
    void aStateStoredBeforeTheSnapIsRead() {
        double[][] x = logistic(300);
        LearnerConfig config = config(0);
        HybridForecaster before = new HybridForecaster(ModelScope.SHARED, config, 0, 8, true, HybridForecaster.ANCHORED,
                HybridForecaster.Tuning.DEFAULTS.withSnapping(false), ModelRepository.inMemory(), 10,
                ModelCacheBudget.unbounded(), null);
        HybridForecaster now = new HybridForecaster(ModelScope.SHARED, config, 0, 8, true, ModelRepository.inMemory(),
                10);
        HybridForecaster.KeyState state = before.newKey();
        for (double[] row : x) {
            before.observe("a", state, new double[] {row[0]});
        }
        io.rnnstreams.model.CompactState old = before.exportState(state);
        HybridForecaster.KeyState read = now.restore(old);
        assertEquals(old.values().length + LatticeSnap.PER_CHANNEL, now.exportState(read).values().length);
        assertEquals(0.0, read.snap[0]);
        assertEquals(0.0, read.snap[1]);
        assertEquals(Double.doubleToLongBits(state.lastForecast()[0]), Double.doubleToLongBits(read.lastForecast()[0]));
        assertEquals(state.readings(), read.readings());
    }

    @Test
    void theRecurrentPartLearnsWhatTheLinearPathCannotAndIsDeterministic() {
        double[][] x = logistic(4_000);
        double[] learnerError = new double[2];
        double ablationError = 0;
        double[][] last = new double[2][];
        for (int run = 0; run < 2; run++) {
            HybridForecaster learner = new HybridForecaster(ModelScope.SHARED, config(0), 0, 8, run == 0,
                    ModelRepository.inMemory(), 10);
            HybridForecaster.KeyState[] states = {learner.newKey(), learner.newKey()};
            double[][] forecast = new double[2][];
            double error = 0;
            for (int t = 0; t < x.length; t++) {
                for (int k = 0; k < 2; k++) {
                    if (t >= 2_000) {
                        error += Math.abs(x[t][k] - forecast[k][0]);
                    }
                    forecast[k] = learner.observe("key-" + k, states[k], new double[] {x[t][k]});
                }
            }
            if (run == 0) {
                learnerError[0] = error;
                last[0] = forecast[0];
            } else {
                ablationError = error;
            }
        }
        // the same run again: bit-identical
        HybridForecaster again = new HybridForecaster(ModelScope.SHARED, config(0), 0, 8, true,
                ModelRepository.inMemory(), 10);
        HybridForecaster.KeyState[] states = {again.newKey(), again.newKey()};
        double[][] forecast = new double[2][];
        for (double[] row : x) {
            for (int k = 0; k < 2; k++) {
                forecast[k] = again.observe("key-" + k, states[k], new double[] {row[k]});
            }
        }
        assertEquals(Double.doubleToLongBits(last[0][0]), Double.doubleToLongBits(forecast[0][0]));
        System.out.printf("logistic map, 2 keys, scope shared, readings 2000..4000: learner / ablation MAE %.3f%n",
                learnerError[0] / ablationError);
        assertTrue(learnerError[0] < 0.5 * ablationError, "the learner halves the linear path's error: "
                + learnerError[0] + " against " + ablationError);
        assertTrue(states[0].gain(0) > 0.5, "and uses its correction: gain " + states[0].gain(0));
    }

    /**
     * The per-key state counted by hand for D = 1, m = 24, AR(8), the default network (LSTM, H = 32, k2 = 16),
     * in its stored form (exact numbers as doubles, most others as floats, the recurrent part as halves,
     * counters). The learner's own: the has-base flag and model version (2 counters), the last forecast (1 exact),
     * last base and last correction (2), the recent absolute errors of the gain's 5 candidates ({@link
     * GainFit#ABSOLUTE}; the ablation keeps the two moments of {@link GainFit#LEAST_SQUARES} instead), the residual
     * normaliser (2, 1 counter), the snap's quantum and recent advantage ({@link LatticeSnap}: 2, the ablation's too).
     * Linear path: the combination's forecasts and errors of its 4 members (8, 1
     * counter); persistence nothing; seasonal persistence its ring (24, 1 counter); AR(8): RLS's 9 coefficients (9)
     * and P's upper triangle (45 exact), 8 lags and 6 per-channel figures (1 counter); Holt-Winters on the compact
     * grid: 3 levels, no trends (its candidates have beta = 0), 3 recent errors and one group of 24 seasons (30, 1
     * counter). Recurrent part: inputs D (1 + 1 + 4) = 6, S = 2 H = 64: in half the hidden state and anchor 128,
     * the window 16 x (6 + 1) = 112 and the last input 6 (246); in float the normaliser 12 (5 counters and 1 for
     * the normaliser).
     */
    @Test
    void theKeyStateSizeIsCountedByHand() {
        HybridForecaster learner = new HybridForecaster(ModelScope.SHARED, config(24), 24, 8, true,
                ModelRepository.inMemory(), 10);
        HybridForecaster ablation = new HybridForecaster(ModelScope.SHARED, config(24), 24, 8, false,
                ModelRepository.inMemory(), 10);
        long linear = 8 + 24 + (9 + 8 + 6) + (3 + 3 + 24);
        long own = 4 + 2 + 2;
        long learnerOwn = 2 + 5 + 2 + 2;
        assertEquals(new StateSize(1 + 45, own + linear, 0, 3 + 4), ablation.keyStateSize());
        assertEquals(new StateSize(1 + 45, learnerOwn + linear + 12, 246, 3 + 4 + 6), learner.keyStateSize());
        assertEquals(8 * 46 + 4 * 108 + 2 * 246 + 8 * 13, learner.keyStateSize().bytes());
        // with slow inputs: 2 smoothed errors, and the network reads 2 more inputs (normaliser 4 floats; window
        // 16 x 2 and last input 2 in half)
        HybridForecaster slow = new HybridForecaster(ModelScope.SHARED,
                HybridForecaster.networkConfig(LearnerConfig.builder().build(), 1, 24, 1.0, true), 24, 8, true,
                ModelRepository.inMemory(), 10);
        assertEquals(new StateSize(1 + 45, learnerOwn + linear + 12 + 2 + 4, 246 + 34, 3 + 4 + 6),
                slow.keyStateSize());
        // with the mixture (Loss.MIXTURE_HUBER): each window target also holds the 4 members' disagreements
        // (16 x 4 halves), nothing else
        HybridForecaster mixture = new HybridForecaster(ModelScope.SHARED,
                HybridForecaster.networkConfig(LearnerConfig.builder().build(), 1, 24, 1.0, false, true), 24, 8, true,
                ModelRepository.inMemory(), 10);
        assertEquals(new StateSize(1 + 45, learnerOwn + linear + 12, 246 + 64, 3 + 4 + 6), mixture.keyStateSize());
        System.out.printf("key state, D = 1, m = 24, AR(8), LSTM H = 32: %s%n", learner.keyStateSize());
    }

    /**
     * The same for D = 8: the learner's own and the linear path per channel (8 x (1 + 45) exact, 8 x (9 + 2 + 85)
     * floats, the 2 the snap's); the network reads 8 x 6 = 48 inputs: its normaliser 96 floats; in half the hidden state and anchor
     * 128, the window 16 x (48 + 8) = 896, the last input 48 (1,072 halves); the same 13 counters.
     */
    @Test
    void theKeyStateSizeOfEightChannelsIsCountedByHand() {
        LearnerConfig config = HybridForecaster.networkConfig(LearnerConfig.builder().build(), 8, 24, 1.0);
        HybridForecaster learner = new HybridForecaster(ModelScope.SHARED, config, 24, 8, true,
                ModelRepository.inMemory(), 10);
        StateSize size = learner.keyStateSize();
        assertEquals(new StateSize(8 * 46, 8 * (9 + 2 + 85) + 96, 1072, 13), size);
        System.out.printf("key state, D = 8, m = 24, AR(8), LSTM H = 32: %s%n", size);
    }
}

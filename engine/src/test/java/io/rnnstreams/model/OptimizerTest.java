package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SGD, momentum and Adam against hand-written reference updates, on the parameters of a tiny LSTM
 * (D = 1, H = 1, O = 1: P = 4 + 4 + 4 + 1 + 1 = 14). Gradients are written straight into
 * {@link Parameter#grad}; the references keep their own flat copies of weights and moments.
 */
class OptimizerTest {
    static final double REL = 1e-15;

    static Network tinyNetwork() {
        return new Network(NetworkConfig.builder().inputSize(1).hiddenSizes(1).cellType(CellType.LSTM).seed(7).build());
    }

    /** A distinct, sign-varying gradient for scalar {@code k} at step {@code s} (1-based). */
    static double gradient(int s, int k) {
        return ((k % 3) - 1) * 0.37 + 0.11 * s - 0.05 * k + (k == 4 ? 2.5 : 0.0);
    }

    /** Writes {@link #gradient} into every parameter's grad, in writeParameters order; returns the flat copy. */
    static double[] setGradients(List<Parameter> ps, int s) {
        int total = ps.stream().mapToInt(Parameter::size).sum();
        double[] flat = new double[total];
        int k = 0;
        for (Parameter p : ps) {
            for (int j = 0; j < p.cols(); j++) {
                for (int i = 0; i < p.rows(); i++) {
                    p.grad[j][i] = gradient(s, k);
                    flat[k] = p.grad[j][i];
                    k++;
                }
            }
        }
        return flat;
    }

    static double[] weights(Network n) {
        double[] w = new double[n.parameterCount()];
        n.writeParameters(w);
        return w;
    }

    static void assertClose(double expected, double actual, String what) {
        double tol = REL * Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertTrue(Math.abs(expected - actual) <= tol,
                what + ": expected " + expected + ", got " + actual + " (diff " + (expected - actual) + ")");
    }

    static void assertAllClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            assertClose(expected[k], actual[k], what + "[" + k + "]");
        }
    }

    static void assertBitIdentical(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(Double.doubleToRawLongBits(expected[k]), Double.doubleToRawLongBits(actual[k]),
                    what + "[" + k + "]: " + expected[k] + " vs " + actual[k]);
        }
    }

    @Test
    void tinyNetworkHasFourteenParameters() {
        assertEquals(14, tinyNetwork().parameterCount());
    }

    @Test
    void sgdThreeSteps() {
        Network net = tinyNetwork();
        double lr = 0.03;
        Optimizer opt = Optimizer.create(OptimizerConfig.sgd(lr), net.parameters());
        assertEquals(0, opt.stateSize());
        double[] w = weights(net);
        for (int s = 1; s <= 3; s++) {
            double[] g = setGradients(net.parameters(), s);
            opt.step();
            for (int k = 0; k < w.length; k++) {
                w[k] = w[k] - lr * g[k];
            }
            assertAllClose(w, weights(net), "SGD step " + s);
            assertEquals(s, opt.steps());
        }
    }

    @Test
    void sgdClosedFormWithConstantGradient() {
        Network net = tinyNetwork();
        double[] w0 = weights(net);
        Optimizer opt = Optimizer.create(OptimizerConfig.sgd(0.5), net.parameters());
        for (int s = 0; s < 3; s++) {
            setConstantGradient(net.parameters(), 0.25);
            opt.step();
        }
        // w3 = w0 - 3 * 0.5 * 0.25 = w0 - 0.375
        double[] w3 = weights(net);
        for (int k = 0; k < w0.length; k++) {
            assertClose(w0[k] - 0.375, w3[k], "w[" + k + "]");
        }
    }

    static void setConstantGradient(List<Parameter> ps, double g) {
        for (Parameter p : ps) {
            for (double[] column : p.grad) {
                java.util.Arrays.fill(column, g);
            }
        }
    }

    @Test
    void momentumThreeSteps() {
        Network net = tinyNetwork();
        double lr = 0.02;
        double mu = 0.9;
        Optimizer opt = Optimizer.create(OptimizerConfig.momentum(lr, mu), net.parameters());
        assertEquals(net.parameterCount(), opt.stateSize());
        double[] w = weights(net);
        double[] v = new double[w.length];
        for (int s = 1; s <= 3; s++) {
            double[] g = setGradients(net.parameters(), s);
            opt.step();
            for (int k = 0; k < w.length; k++) {
                v[k] = mu * v[k] + g[k];
                w[k] = w[k] - lr * v[k];
            }
            assertAllClose(w, weights(net), "momentum weights step " + s);
            double[] state = new double[opt.stateSize()];
            opt.writeState(state);
            assertAllClose(v, state, "momentum velocity step " + s);
        }
    }

    @Test
    void momentumClosedFormWithConstantGradient() {
        Network net = tinyNetwork();
        double[] w0 = weights(net);
        Optimizer opt = Optimizer.create(OptimizerConfig.momentum(0.5, 0.5), net.parameters());
        for (int s = 0; s < 3; s++) {
            setConstantGradient(net.parameters(), 1.0);
            opt.step();
        }
        // v1 = 1, v2 = 1.5, v3 = 1.75; w3 = w0 - 0.5 * (1 + 1.5 + 1.75) = w0 - 2.125
        double[] w3 = weights(net);
        double[] v = new double[opt.stateSize()];
        opt.writeState(v);
        for (int k = 0; k < w0.length; k++) {
            assertClose(w0[k] - 2.125, w3[k], "w[" + k + "]");
            assertEquals(1.75, v[k], "v[" + k + "]");
        }
    }

    @Test
    void adamThreeSteps() {
        Network net = tinyNetwork();
        double lr = 0.01;
        double b1 = 0.8;
        double b2 = 0.95;
        double eps = 1e-3; // large enough that adding it after (not inside) the sqrt matters
        Optimizer opt = Optimizer.create(OptimizerConfig.adam(lr, b1, b2, eps), net.parameters());
        assertEquals(2 * net.parameterCount(), opt.stateSize());
        double[] w = weights(net);
        int p = w.length;
        double[] m = new double[p];
        double[] v = new double[p];
        for (int s = 1; s <= 3; s++) {
            double[] g = setGradients(net.parameters(), s);
            opt.step();
            double bc1 = 1.0 - Math.pow(b1, s);
            double bc2 = 1.0 - Math.pow(b2, s);
            for (int k = 0; k < p; k++) {
                m[k] = b1 * m[k] + (1 - b1) * g[k];
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
                double mHat = m[k] / bc1;
                double vHat = v[k] / bc2;
                w[k] = w[k] - lr * mHat / (Math.sqrt(vHat) + eps);
            }
            assertAllClose(w, weights(net), "Adam weights step " + s);
            double[] state = new double[opt.stateSize()];
            opt.writeState(state);
            double[] expectedState = new double[2 * p];
            System.arraycopy(m, 0, expectedState, 0, p);
            System.arraycopy(v, 0, expectedState, p, p);
            assertAllClose(expectedState, state, "Adam state (m then v) step " + s);
            assertEquals(s, opt.steps());
        }
    }

    @Test
    void adamFirstStepByHand() {
        // t = 1: m_hat = g, v_hat = g^2, so w1 = w0 - lr * g / (|g| + eps)
        Network net = tinyNetwork();
        double[] w0 = weights(net);
        Optimizer opt = Optimizer.create(OptimizerConfig.adam(0.1, 0.9, 0.999, 0.5), net.parameters());
        setConstantGradient(net.parameters(), 2.0);
        opt.step();
        // 0.1 * 2 / (2 + 0.5) = 0.08 (eps inside the sqrt would give 0.1 * 2 / sqrt(4.5) = 0.0943)
        double[] w1 = weights(net);
        for (int k = 0; k < w0.length; k++) {
            assertClose(w0[k] - 0.08, w1[k], "w[" + k + "]");
        }
        // second step, same gradient: m = 0.19 * 2 / 0.19 = 2, v likewise 4: the same 0.08 again
        setConstantGradient(net.parameters(), 2.0);
        opt.step();
        double[] w2 = weights(net);
        for (int k = 0; k < w0.length; k++) {
            assertEquals(w0[k] - 0.16, w2[k], 1e-15, "w[" + k + "]");
        }
    }

    /** Runs 2 steps on A, copies weights and state to B, then runs step 3 on both: bit-identical. */
    void roundTripContinuesBitIdentically(OptimizerConfig config) {
        Network a = tinyNetwork();
        Optimizer oa = Optimizer.create(config, a.parameters());
        for (int s = 1; s <= 2; s++) {
            setGradients(a.parameters(), s);
            oa.step();
        }
        double[] state = new double[oa.stateSize()];
        oa.writeState(state);

        Network b = new Network(a.config().toBuilder().seed(12345).build());
        b.readParameters(weights(a));
        Optimizer ob = Optimizer.create(config, b.parameters());
        ob.readState(state.clone(), oa.steps());
        assertEquals(2, ob.steps());
        double[] stateB = new double[ob.stateSize()];
        ob.writeState(stateB);
        assertBitIdentical(state, stateB, config + " state after readState");

        for (int s = 3; s <= 5; s++) {
            setGradients(a.parameters(), s);
            setGradients(b.parameters(), s);
            oa.step();
            ob.step();
            assertBitIdentical(weights(a), weights(b), config + " weights after step " + s);
        }
        oa.writeState(state);
        ob.writeState(stateB);
        assertBitIdentical(state, stateB, config + " state after step 5");
        assertEquals(oa.steps(), ob.steps());
    }

    @Test
    void sgdStateRoundTrip() {
        roundTripContinuesBitIdentically(OptimizerConfig.sgd(0.05));
    }

    @Test
    void momentumStateRoundTrip() {
        roundTripContinuesBitIdentically(OptimizerConfig.momentum(0.05, 0.7));
    }

    @Test
    void adamStateRoundTrip() {
        roundTripContinuesBitIdentically(OptimizerConfig.adam(0.05, 0.9, 0.99, 1e-8));
    }

    @Test
    void adamReadStateRestoresStepCountForBiasCorrection() {
        // moments from one step, but read back with t = 10: the next update must use t = 11 corrections
        OptimizerConfig config = OptimizerConfig.adam(0.05, 0.9, 0.99, 1e-8);
        Network a = tinyNetwork();
        Optimizer oa = Optimizer.create(config, a.parameters());
        setGradients(a.parameters(), 1);
        oa.step();
        double[] state = new double[oa.stateSize()];
        oa.writeState(state);
        double[] w = weights(a);
        int p = w.length;

        Network b = tinyNetwork();
        b.readParameters(w);
        Optimizer ob = Optimizer.create(config, b.parameters());
        ob.readState(state, 10);
        double[] g = setGradients(b.parameters(), 2);
        ob.step();
        assertEquals(11, ob.steps());
        double[] wb = weights(b);
        for (int k = 0; k < p; k++) {
            double m = 0.9 * state[k] + 0.1 * g[k];
            double v = 0.99 * state[p + k] + 0.01 * g[k] * g[k];
            double mHat = m / (1 - Math.pow(0.9, 11));
            double vHat = v / (1 - Math.pow(0.99, 11));
            assertClose(w[k] - 0.05 * mHat / (Math.sqrt(vHat) + 1e-8), wb[k], "w[" + k + "] with t=11");
        }
    }

    @Test
    void wrongLengthStateArraysAreRejectedByName() {
        Network net = tinyNetwork();
        int p = net.parameterCount();
        Optimizer sgd = Optimizer.create(OptimizerConfig.sgd(0.1), net.parameters());
        Optimizer momentum = Optimizer.create(OptimizerConfig.momentum(0.1, 0.9), net.parameters());
        Optimizer adam = Optimizer.create(OptimizerConfig.adam(0.1), net.parameters());

        assertMessage(() -> sgd.writeState(new double[1]), "SGD state", "1 entries", "expected 0");
        assertMessage(() -> sgd.readState(new double[1], 0), "SGD state", "1 entries", "expected 0");
        assertMessage(() -> momentum.writeState(new double[p - 1]), "momentum state", "expected " + p);
        assertMessage(() -> momentum.readState(new double[p + 1], 0), "momentum state", "expected " + p);
        assertMessage(() -> adam.writeState(new double[p]), "Adam state", "expected " + 2 * p);
        assertMessage(() -> adam.readState(new double[2 * p + 1], 0), "Adam state", "expected " + 2 * p);
    }

    @Test
    void rejectedReadStateLeavesMomentsUntouched() {
        Network net = tinyNetwork();
        Optimizer adam = Optimizer.create(OptimizerConfig.adam(0.1), net.parameters());
        setGradients(net.parameters(), 1);
        adam.step();
        double[] before = new double[adam.stateSize()];
        adam.writeState(before);
        assertThrows(IllegalArgumentException.class, () -> adam.readState(new double[3], 99));
        double[] after = new double[adam.stateSize()];
        adam.writeState(after);
        assertBitIdentical(before, after, "Adam state");
        assertEquals(1, adam.steps());
    }

    static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        }
    }
}

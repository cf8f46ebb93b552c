package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Network construction: initialisation, parameter counts and shapes, state sizes, parameter I/O. */
class NetworkTest {

    static NetworkConfig config(CellType cell, long seed, int... hidden) {
        return NetworkConfig.builder().inputSize(3).hiddenSizes(hidden).cellType(cell).outputSize(3).seed(seed).build();
    }

    static double[] params(Network n) {
        double[] p = new double[n.parameterCount()];
        n.writeParameters(p);
        return p;
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void sameSeedGivesBitIdenticalParameters(CellType cell) {
        double[] a = params(new Network(config(cell, 5, 6, 4)));
        double[] b = params(new Network(config(cell, 5, 6, 4)));
        assertEquals(a.length, b.length);
        for (int k = 0; k < a.length; k++) {
            assertEquals(Double.doubleToRawLongBits(a[k]), Double.doubleToRawLongBits(b[k]), "[" + k + "]");
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void differentSeedGivesDifferentParameters(CellType cell) {
        Network a = new Network(config(cell, 5, 6, 4));
        Network b = new Network(config(cell, 6, 6, 4));
        // every random tensor differs (biases are deterministic)
        for (int p = 0; p < a.parameters().size(); p++) {
            Parameter pa = a.parameters().get(p);
            Parameter pb = b.parameters().get(p);
            boolean random = pa.name().endsWith(".Wx") || pa.name().endsWith(".Wh") || pa.name().equals("head.V");
            if (!random) {
                continue;
            }
            int same = 0;
            for (int j = 0; j < pa.cols(); j++) {
                for (int i = 0; i < pa.rows(); i++) {
                    if (pa.get(i, j) == pb.get(i, j)) {
                        same++;
                    }
                }
            }
            assertEquals(0, same, pa.name() + " shares " + same + " values between seeds 5 and 6");
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void everyRecurrentGateBlockIsOrthogonal(CellType cell) {
        Network n = new Network(config(cell, 11, 5, 7));
        for (RecurrentLayer layer : n.layers()) {
            Parameter wh = layer.wh;
            int h = layer.hiddenSize();
            int gates = layer.cell().gates();
            assertEquals(gates * h, wh.rows());
            assertEquals(h, wh.cols());
            for (int b = 0; b < gates; b++) {
                // Q = rows [bH, (b+1)H) of Wh; (Q^T Q)_{jk} = sum_i Q_ij Q_ik
                for (int j = 0; j < h; j++) {
                    for (int k = 0; k < h; k++) {
                        double s = 0;
                        for (int i = b * h; i < (b + 1) * h; i++) {
                            s += wh.get(i, j) * wh.get(i, k);
                        }
                        assertEquals(j == k ? 1.0 : 0.0, s, 1e-12,
                                wh.name() + " block " + b + " (Q^T Q)[" + j + "][" + k + "]");
                    }
                }
                // and Q Q^T = I: square and orthogonal
                for (int i1 = b * h; i1 < (b + 1) * h; i1++) {
                    for (int i2 = b * h; i2 < (b + 1) * h; i2++) {
                        double s = 0;
                        for (int j = 0; j < h; j++) {
                            s += wh.get(i1, j) * wh.get(i2, j);
                        }
                        assertEquals(i1 == i2 ? 1.0 : 0.0, s, 1e-12, wh.name() + " block " + b + " Q Q^T");
                    }
                }
            }
            // blocks are independent draws, not copies
            if (gates > 1) {
                assertTrue(wh.get(0, 0) != wh.get(h, 0));
            }
        }
    }

    @Test
    void lstmForgetBiasIsOneAndOtherBiasesZero() {
        Network n = new Network(config(CellType.LSTM, 1, 5, 4));
        for (RecurrentLayer layer : n.layers()) {
            int h = layer.hiddenSize();
            assertEquals(4 * h, layer.bx.rows());
            assertEquals(1, layer.bx.cols());
            for (int i = 0; i < 4 * h; i++) {
                double expected = i >= h && i < 2 * h ? 1.0 : 0.0;
                assertEquals(expected, layer.bx.get(i, 0), 0.0, layer.bx.name() + "[" + i + "]");
            }
            assertNull(layer.bh);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(0.0, n.head().c.get(i, 0), 0.0, "head.c[" + i + "]");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "ELMAN"})
    void gruAndElmanBiasesAreZero(CellType cell) {
        Network n = new Network(config(cell, 1, 5, 4));
        for (RecurrentLayer layer : n.layers()) {
            for (int i = 0; i < layer.gateRows(); i++) {
                assertEquals(0.0, layer.bx.get(i, 0), 0.0);
                if (layer.bh != null) {
                    assertEquals(0.0, layer.bh.get(i, 0), 0.0);
                }
            }
            assertEquals(cell == CellType.GRU, layer.bh != null, "only a GRU has bh");
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void glorotBoundsAreRespectedAndNearlyReached(CellType cell) {
        Network n = new Network(config(cell, 21, 8, 6));
        for (RecurrentLayer layer : n.layers()) {
            int h = layer.hiddenSize();
            double bound = Math.sqrt(6.0 / (layer.inputSize() + h));
            double max = 0;
            for (int j = 0; j < layer.wx.cols(); j++) {
                for (int i = 0; i < layer.wx.rows(); i++) {
                    double w = Math.abs(layer.wx.get(i, j));
                    assertTrue(w <= bound, layer.wx.name() + " |w| " + w + " > " + bound);
                    max = Math.max(max, w);
                }
            }
            // uniform over [-a, a]: with >= 24 draws the largest is well above a/2
            assertTrue(max > 0.5 * bound, layer.wx.name() + " max " + max + " vs bound " + bound);
        }
        Parameter v = n.head().v;
        int topH = n.layers().get(n.layers().size() - 1).hiddenSize();
        double bound = Math.sqrt(6.0 / (topH + 3));
        double max = 0;
        for (int j = 0; j < v.cols(); j++) {
            for (int i = 0; i < v.rows(); i++) {
                assertTrue(Math.abs(v.get(i, j)) <= bound);
                max = Math.max(max, Math.abs(v.get(i, j)));
            }
        }
        assertTrue(max > 0.5 * bound);
    }

    @Test
    void lstmParameterCountAndShapes() {
        Network n = new Network(config(CellType.LSTM, 1, 5));
        assertEquals(4 * 5 * 3 + 4 * 5 * 5 + 4 * 5 + 3 * 5 + 3, n.parameterCount());
        assertEquals(198, n.parameterCount());
        assertShapes(n, List.of("layer0.Wx", "layer0.Wh", "layer0.bx", "head.V", "head.c"),
                new int[][] {{20, 3}, {20, 5}, {20, 1}, {3, 5}, {3, 1}});
    }

    @Test
    void gruParameterCountIncludesRecurrentBias() {
        Network n = new Network(config(CellType.GRU, 1, 5));
        assertEquals(3 * 5 * 3 + 3 * 5 * 5 + 3 * 5 + 3 * 5 + 3 * 5 + 3, n.parameterCount());
        assertEquals(168, n.parameterCount());
        assertShapes(n, List.of("layer0.Wx", "layer0.Wh", "layer0.bx", "layer0.bh", "head.V", "head.c"),
                new int[][] {{15, 3}, {15, 5}, {15, 1}, {15, 1}, {3, 5}, {3, 1}});
    }

    @Test
    void elmanParameterCount() {
        Network n = new Network(config(CellType.ELMAN, 1, 5));
        assertEquals(5 * 3 + 5 * 5 + 5 + 3 * 5 + 3, n.parameterCount());
    }

    @Test
    void stackedParameterCountUsesTheLowerLayersHiddenSizeAsInput() {
        Network n = new Network(config(CellType.LSTM, 1, 5, 4));
        int layer0 = 4 * 5 * 3 + 4 * 5 * 5 + 4 * 5;
        int layer1 = 4 * 4 * 5 + 4 * 4 * 4 + 4 * 4;
        int head = 3 * 4 + 3;
        assertEquals(layer0 + layer1 + head, n.parameterCount());
        assertEquals(5, n.layers().get(1).inputSize());
        int sum = n.parameters().stream().mapToInt(Parameter::size).sum();
        assertEquals(sum, n.parameterCount());
    }

    static void assertShapes(Network n, List<String> names, int[][] shapes) {
        List<Parameter> ps = n.parameters();
        assertEquals(names.size(), ps.size());
        for (int p = 0; p < ps.size(); p++) {
            assertEquals(names.get(p), ps.get(p).name());
            assertEquals(shapes[p][0], ps.get(p).rows(), names.get(p) + " rows");
            assertEquals(shapes[p][1], ps.get(p).cols(), names.get(p) + " cols");
            assertEquals(shapes[p][0] * shapes[p][1], ps.get(p).size());
        }
    }

    @Test
    void stateSizesPerCell() {
        assertEquals(2 * 5 + 2 * 4, new Network(config(CellType.LSTM, 1, 5, 4)).stateSize());
        assertEquals(5 + 4, new Network(config(CellType.GRU, 1, 5, 4)).stateSize());
        assertEquals(5 + 4, new Network(config(CellType.ELMAN, 1, 5, 4)).stateSize());
        Network lstm = new Network(config(CellType.LSTM, 1, 5, 4, 2));
        assertEquals(0, lstm.stateOffset(0));
        assertEquals(10, lstm.stateOffset(1));
        assertEquals(18, lstm.stateOffset(2));
        assertEquals(22, lstm.stateSize());
        assertEquals(lstm.stateSize(), SequenceState.stateSize(lstm.config()));
    }

    @Test
    void lstmStepWritesHThenCPerLayer() {
        // with h and c of the flat state computed by hand for a 1-unit LSTM with known weights
        NetworkConfig c = NetworkConfig.builder().inputSize(1).hiddenSizes(1).cellType(CellType.LSTM).build();
        Network n = new Network(c);
        RecurrentLayer l = n.layers().get(0);
        double[] wx = {0.5, -0.25, 0.75, 1.0};
        double[] wh = {0.1, 0.2, -0.3, 0.4};
        double[] bx = {0.0, 1.0, 0.0, -0.5};
        for (int g = 0; g < 4; g++) {
            l.wx.set(g, 0, wx[g]);
            l.wh.set(g, 0, wh[g]);
            l.bx.set(g, 0, bx[g]);
        }
        n.head().v.set(0, 0, 2.0);
        n.head().c.set(0, 0, -1.0);
        double h0 = 0.3;
        double c0 = -0.6;
        double x = 0.8;
        double[] state = {h0, c0};
        double[] out = new double[1];
        n.step(state, new double[] {x}, out);
        double i = 1 / (1 + Math.exp(-(wx[0] * x + bx[0] + wh[0] * h0)));
        double f = 1 / (1 + Math.exp(-(wx[1] * x + bx[1] + wh[1] * h0)));
        double g = Math.tanh(wx[2] * x + bx[2] + wh[2] * h0);
        double o = 1 / (1 + Math.exp(-(wx[3] * x + bx[3] + wh[3] * h0)));
        double c1 = f * c0 + i * g;
        double h1 = o * Math.tanh(c1);
        assertEquals(h1, state[0], 1e-14);
        assertEquals(c1, state[1], 1e-14);
        assertEquals(-1.0 + 2.0 * h1, out[0], 1e-14);
        double[] again = new double[1];
        n.output(state, again);
        assertEquals(out[0], again[0], 0.0);
    }

    @Test
    void writeReadParametersRoundTrip() {
        Network a = new Network(config(CellType.GRU, 1, 5, 4));
        Network b = new Network(config(CellType.GRU, 2, 5, 4));
        double[] pa = params(a);
        b.readParameters(pa.clone());
        double[] pb = params(b);
        for (int k = 0; k < pa.length; k++) {
            assertEquals(Double.doubleToRawLongBits(pa[k]), Double.doubleToRawLongBits(pb[k]), "[" + k + "]");
        }
        // the flat layout is parameter by parameter, column by column
        int offset = 0;
        for (Parameter p : a.parameters()) {
            for (int j = 0; j < p.cols(); j++) {
                for (int i = 0; i < p.rows(); i++) {
                    assertEquals(p.get(i, j), pa[offset++], 0.0, p.name());
                }
            }
        }
        // and b now computes exactly what a computes
        double[] sa = new double[a.stateSize()];
        double[] sb = new double[b.stateSize()];
        double[] oa = new double[3];
        double[] ob = new double[3];
        for (int t = 0; t < 10; t++) {
            double[] x = {Math.sin(t), Math.cos(t), 0.1 * t};
            a.step(sa, x, oa);
            b.step(sb, x, ob);
            for (int i = 0; i < 3; i++) {
                assertEquals(Double.doubleToRawLongBits(oa[i]), Double.doubleToRawLongBits(ob[i]));
            }
        }
    }

    @Test
    void parameterArraysOfTheWrongLengthAreRejected() {
        Network n = new Network(config(CellType.LSTM, 1, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> n.writeParameters(new double[197]));
        assertTrue(e.getMessage().contains("parameter array") && e.getMessage().contains("expected 198"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> n.readParameters(new double[199]));
        assertTrue(e.getMessage().contains("parameter array") && e.getMessage().contains("199"), e.getMessage());
    }
}

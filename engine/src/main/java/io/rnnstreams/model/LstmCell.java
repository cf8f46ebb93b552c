package io.rnnstreams.model;

/**
 * Long short-term memory cell, gate blocks in PyTorch's order i (input), f (forget), g (candidate),
 * o (output):
 *
 * <pre>
 *   [i, f, g, o] = [sigmoid, sigmoid, tanh, sigmoid](Wx x + Wh h + b)
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 * </pre>
 *
 * with {@code Wx: 4H x I}, {@code Wh: 4H x H}, {@code b: 4H} (forget block initialised to 1).
 * State is {@code [h, c]} ({@code 2H}). Cache per step: {@code i, f, g, o, tanh(c')} ({@code 5H}).
 *
 * <p>Backward, with {@code dh' = dL/dh'} and {@code dc'_in = dL/dc'} from the next step:
 * <pre>
 *   dc'    = dc'_in + dh' * o * (1 - tanh(c')^2)
 *   do_pre = dh' * tanh(c') * o * (1 - o)
 *   di_pre = dc' * g * i * (1 - i)
 *   df_pre = dc' * c * f * (1 - f)
 *   dg_pre = dc' * i * (1 - g^2)
 *   dc     = dc' * f
 *   gx = gh = [di_pre, df_pre, dg_pre, do_pre];  dh = Wh^T gh   (added by the layer)
 * </pre>
 */
public final class LstmCell implements RecurrentCell {
    public static final LstmCell INSTANCE = new LstmCell();

    private LstmCell() {
    }

    @Override
    public int gates() {
        return 4;
    }

    @Override
    public int stateSize(int hidden) {
        return 2 * hidden;
    }

    @Override
    public int cacheSize(int hidden) {
        return 5 * hidden;
    }

    @Override
    public boolean hasRecurrentBias() {
        return false;
    }

    /** Forget-gate bias 1, so that a fresh cell remembers by default (Jozefowicz et al., 2015). */
    @Override
    public void initBias(double[] bx, int hidden) {
        for (int k = hidden; k < 2 * hidden; k++) {
            bx[k] = 1.0;
        }
    }

    @Override
    public void forward(int hidden, double[] ax, double[] ah, double[] prev, double[] next, double[] cache) {
        int h2 = 2 * hidden;
        int h3 = 3 * hidden;
        int h4 = 4 * hidden;
        for (int k = 0; k < hidden; k++) {
            double i = Activation.sigmoid(ax[k] + ah[k]);
            double f = Activation.sigmoid(ax[hidden + k] + ah[hidden + k]);
            double g = Activation.tanh(ax[h2 + k] + ah[h2 + k]);
            double o = Activation.sigmoid(ax[h3 + k] + ah[h3 + k]);
            double c = f * prev[hidden + k] + i * g;
            double tc = Activation.tanh(c);
            next[k] = o * tc;
            next[hidden + k] = c;
            cache[k] = i;
            cache[hidden + k] = f;
            cache[h2 + k] = g;
            cache[h3 + k] = o;
            cache[h4 + k] = tc;
        }
    }

    @Override
    public void backward(int hidden, double[] prev, double[] next, double[] cache, double[] dNext,
                         double[] gx, double[] gh, double[] dPrev) {
        int h2 = 2 * hidden;
        int h3 = 3 * hidden;
        int h4 = 4 * hidden;
        for (int k = 0; k < hidden; k++) {
            double i = cache[k];
            double f = cache[hidden + k];
            double g = cache[h2 + k];
            double o = cache[h3 + k];
            double tc = cache[h4 + k];
            double dh = dNext[k];

            double dc = dNext[hidden + k] + dh * o * (1.0 - tc * tc);
            double doPre = dh * tc * o * (1.0 - o);
            double diPre = dc * g * i * (1.0 - i);
            double dfPre = dc * prev[hidden + k] * f * (1.0 - f);
            double dgPre = dc * i * (1.0 - g * g);

            gx[k] = diPre;
            gx[hidden + k] = dfPre;
            gx[h2 + k] = dgPre;
            gx[h3 + k] = doPre;
            gh[k] = diPre;
            gh[hidden + k] = dfPre;
            gh[h2 + k] = dgPre;
            gh[h3 + k] = doPre;
            dPrev[k] = 0.0;
            dPrev[hidden + k] = dc * f;
        }
    }
}

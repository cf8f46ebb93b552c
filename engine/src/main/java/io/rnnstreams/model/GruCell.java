package io.rnnstreams.model;

/**
 * Gated recurrent unit, in the formulation of PyTorch's {@code nn.GRU} (reset applied after the
 * recurrent product). Gate blocks in order r (reset), z (update), n (candidate):
 *
 * <pre>
 *   r   = sigmoid(Wx_r x + bx_r + Wh_r h + bh_r)
 *   z   = sigmoid(Wx_z x + bx_z + Wh_z h + bh_z)
 *   n   = tanh(Wx_n x + bx_n + r * (Wh_n h + bh_n))
 *   h'  = (1 - z) * n + z * h
 * </pre>
 *
 * with {@code Wx: 3H x I}, {@code Wh: 3H x H}, {@code bx, bh: 3H}. State is {@code h} ({@code H}).
 * Cache per step: {@code r, z, n, ah_n = Wh_n h + bh_n} ({@code 4H}).
 *
 * <p>Backward, with {@code dh' = dL/dh'}:
 * <pre>
 *   dn_pre = dh' * (1 - z) * (1 - n^2)             gx_n = dn_pre,  gh_n = dn_pre * r
 *   dr_pre = dn_pre * ah_n * r * (1 - r)           gx_r = gh_r = dr_pre
 *   dz_pre = dh' * (h - n) * z * (1 - z)           gx_z = gh_z = dz_pre
 *   dh     = dh' * z  +  Wh^T gh                   (the layer adds the Wh^T part)
 * </pre>
 */
public final class GruCell implements RecurrentCell {
    public static final GruCell INSTANCE = new GruCell();

    private GruCell() {
    }

    @Override
    public int gates() {
        return 3;
    }

    @Override
    public int stateSize(int hidden) {
        return hidden;
    }

    @Override
    public int cacheSize(int hidden) {
        return 4 * hidden;
    }

    @Override
    public boolean hasRecurrentBias() {
        return true;
    }

    @Override
    public void forward(int hidden, double[] ax, double[] ah, double[] prev, double[] next, double[] cache) {
        int h2 = 2 * hidden;
        int h3 = 3 * hidden;
        for (int i = 0; i < hidden; i++) {
            double r = Activation.sigmoid(ax[i] + ah[i]);
            double z = Activation.sigmoid(ax[hidden + i] + ah[hidden + i]);
            double ahn = ah[h2 + i];
            double n = Activation.tanh(ax[h2 + i] + r * ahn);
            next[i] = (1.0 - z) * n + z * prev[i];
            cache[i] = r;
            cache[hidden + i] = z;
            cache[h2 + i] = n;
            cache[h3 + i] = ahn;
        }
    }

    @Override
    public void backward(int hidden, double[] prev, double[] next, double[] cache, double[] dNext,
                         double[] gx, double[] gh, double[] dPrev) {
        int h2 = 2 * hidden;
        int h3 = 3 * hidden;
        for (int i = 0; i < hidden; i++) {
            double r = cache[i];
            double z = cache[hidden + i];
            double n = cache[h2 + i];
            double ahn = cache[h3 + i];
            double dh = dNext[i];

            double dnPre = dh * (1.0 - z) * (1.0 - n * n);
            double drPre = dnPre * ahn * r * (1.0 - r);
            double dzPre = dh * (prev[i] - n) * z * (1.0 - z);

            gx[i] = drPre;
            gh[i] = drPre;
            gx[hidden + i] = dzPre;
            gh[hidden + i] = dzPre;
            gx[h2 + i] = dnPre;
            gh[h2 + i] = dnPre * r;
            dPrev[i] = dh * z;
        }
    }
}

package io.rnnstreams.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Immutable configuration of an online forecaster: the network, truncated BPTT(k1, k2), the optimizer,
 * gradient clipping and input normalisation. The network forecasts the next reading: its output size
 * equals its input size and its loss is squared error.
 */
public final class LearnerConfig {
    private final NetworkConfig network;
    private final int k1;
    private final int k2;
    private final OptimizerConfig optimizer;
    private final GradientClipping clipping;
    private final boolean normaliseInputs;
    private final boolean residual;
    private final int auxiliaryInputs;
    private final int mixtureMembers;

    private LearnerConfig(Builder b) {
        this.network = Objects.requireNonNull(b.network, "network");
        this.k1 = b.k1;
        this.k2 = b.k2;
        this.optimizer = Objects.requireNonNull(b.optimizer, "optimizer");
        this.clipping = Objects.requireNonNull(b.clipping, "clipping");
        this.normaliseInputs = b.normaliseInputs;
        this.residual = b.residual;
        this.auxiliaryInputs = b.auxiliaryInputs;
        this.mixtureMembers = b.mixtureMembers;
        if (k1 < 1 || k1 > k2) {
            throw new IllegalArgumentException("TBPTT needs 1 <= k1 <= k2, got k1=" + k1 + ", k2=" + k2);
        }
        if (auxiliaryInputs < 0) {
            throw new IllegalArgumentException("auxiliaryInputs must be >= 0, got " + auxiliaryInputs);
        }
        if (mixtureMembers < 0) {
            throw new IllegalArgumentException("mixtureMembers must be >= 0, got " + mixtureMembers);
        }
        boolean mixture = network.loss() == Loss.MIXTURE_HUBER;
        if (mixture != (mixtureMembers > 0)) {
            throw new IllegalArgumentException("loss MIXTURE_HUBER goes with mixtureMembers >= 1 and only with it, got "
                    + "mixtureMembers = " + mixtureMembers + " and " + network);
        }
        int d = network.inputSize() / (1 + auxiliaryInputs);
        if (network.inputSize() != d * (1 + auxiliaryInputs)
                || network.outputSize() != d * (mixtureMembers == 0 ? 1 : 2 + mixtureMembers)
                || !network.loss().regression()) {
            throw new IllegalArgumentException("a forecaster predicts the next reading: it needs outputSize == "
                    + "inputSize (with a auxiliary inputs per channel, inputSize == outputSize * (1 + a); a = "
                    + auxiliaryInputs + "; with K mixture members outputSize == D (2 + K), K = " + mixtureMembers
                    + ") and loss SQUARED_ERROR, HUBER or MIXTURE_HUBER, got " + network);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().network(network).k1(k1).k2(k2).optimizer(optimizer).clipping(clipping)
                .normaliseInputs(normaliseInputs).residual(residual).auxiliaryInputs(auxiliaryInputs)
                .mixtureMembers(mixtureMembers);
    }

    public NetworkConfig network() {
        return network;
    }

    /** Readings between two trainings. */
    public int k1() {
        return k1;
    }

    /** Steps back-propagated through in each training (the window length). */
    public int k2() {
        return k2;
    }

    public OptimizerConfig optimizer() {
        return optimizer;
    }

    public GradientClipping clipping() {
        return clipping;
    }

    public boolean normaliseInputs() {
        return normaliseInputs;
    }

    /**
     * Whether the network forecasts the change from the current reading (true: forecast = reading + output,
     * so persistence is the starting point and the network learns the correction) or the next reading itself.
     */
    public boolean residual() {
        return residual;
    }

    /**
     * Vectors of {@code D} auxiliary inputs the network reads beside each reading (0 for the plain
     * forecaster, whose network reads the reading alone; the hybrid learner's reads its linear path's last
     * error and its members' forecasts): the network has {@code D (1 + a)} inputs and {@code D} outputs.
     */
    public int auxiliaryInputs() {
        return auxiliaryInputs;
    }

    /**
     * Members whose forecasts the network mixes ({@link Loss#MIXTURE_HUBER}), 0 for none: with {@code K >= 1} the
     * head has {@code D (2 + K)} outputs (a correction per channel, then {@code K + 1} logits per channel) and
     * each window target {@code D (1 + K)} numbers (the target, then the members' disagreements).
     */
    public int mixtureMembers() {
        return mixtureMembers;
    }

    /** The channels {@code D} the network forecasts. */
    public int forecastChannels() {
        return network.inputSize() / (1 + auxiliaryInputs);
    }

    /** Numbers per window target: {@code D (1 + mixtureMembers)}. */
    public int targetSize() {
        return forecastChannels() * (1 + mixtureMembers);
    }

    /** The network's inputs per step: {@code D (1 + auxiliaryInputs)}; {@code D} for the plain forecaster. */
    public int channels() {
        return network.inputSize();
    }

    @Override
    public String toString() {
        return network + " tbptt(k1=" + k1 + ", k2=" + k2 + ") " + optimizer + " " + clipping
                + " normalise=" + normaliseInputs + " residual=" + residual
                + (auxiliaryInputs == 0 ? "" : " auxiliaryInputs=" + auxiliaryInputs)
                + (mixtureMembers == 0 ? "" : " mixtureMembers=" + mixtureMembers);
    }

    /** 16 hex digits of SHA-256 over {@link #toString()}: changes with every setting, stable across runs. */
    public String fingerprint() {
        return fingerprint(toString());
    }

    /** 16 hex digits of SHA-256 over {@code description} (a configuration's {@code toString()}). */
    static String fingerprint(String description) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", digest[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnerConfig && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    public static final class Builder {
        private NetworkConfig network = NetworkConfig.builder().build();
        private int k1 = 16;
        private int k2 = 16;
        private OptimizerConfig optimizer = OptimizerConfig.adam(0.001);
        private GradientClipping clipping = GradientClipping.of(1.0, 0);
        private boolean normaliseInputs = true;
        private boolean residual = true;
        private int auxiliaryInputs;
        private int mixtureMembers;

        private Builder() {
        }

        public Builder network(NetworkConfig n) {
            this.network = n;
            return this;
        }

        public Builder k1(int k) {
            this.k1 = k;
            return this;
        }

        public Builder k2(int k) {
            this.k2 = k;
            return this;
        }

        public Builder optimizer(OptimizerConfig o) {
            this.optimizer = o;
            return this;
        }

        public Builder clipping(GradientClipping c) {
            this.clipping = c;
            return this;
        }

        public Builder normaliseInputs(boolean b) {
            this.normaliseInputs = b;
            return this;
        }

        public Builder residual(boolean b) {
            this.residual = b;
            return this;
        }

        public Builder auxiliaryInputs(int a) {
            this.auxiliaryInputs = a;
            return this;
        }

        public Builder mixtureMembers(int k) {
            this.mixtureMembers = k;
            return this;
        }

        public LearnerConfig build() {
            return new LearnerConfig(this);
        }
    }
}

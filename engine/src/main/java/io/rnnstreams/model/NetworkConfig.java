package io.rnnstreams.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable description of a network: {@code D} inputs, stacked recurrent layers of the given hidden
 * sizes, a linear head of {@code O} outputs, the loss, and the initialisation seed. Validated on
 * {@link Builder#build()}; an invalid value fails with a message naming it.
 */
public final class NetworkConfig {
    private final int inputSize;
    private final int[] hiddenSizes;
    private final CellType cellType;
    private final Activation activation;
    private final int outputSize;
    private final Loss loss;
    private final LossSteps lossSteps;
    private final long seed;

    private NetworkConfig(Builder b, int outputSize) {
        this.inputSize = b.inputSize;
        this.hiddenSizes = b.hiddenSizes.clone();
        this.cellType = b.cellType;
        this.activation = b.activation;
        this.outputSize = outputSize;
        this.loss = b.loss;
        this.lossSteps = b.lossSteps;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputSize = inputSize;
        b.hiddenSizes = hiddenSizes.clone();
        b.cellType = cellType;
        b.activation = activation;
        b.outputSize = outputSize;
        b.loss = loss;
        b.lossSteps = lossSteps;
        b.seed = seed;
        return b;
    }

    public int inputSize() {
        return inputSize;
    }

    public int depth() {
        return hiddenSizes.length;
    }

    public int hiddenSize(int layer) {
        return hiddenSizes[layer];
    }

    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    public CellType cellType() {
        return cellType;
    }

    /** The Elman activation (ignored by GRU and LSTM). */
    public Activation activation() {
        return activation;
    }

    public int outputSize() {
        return outputSize;
    }

    public Loss loss() {
        return loss;
    }

    public LossSteps lossSteps() {
        return lossSteps;
    }

    public long seed() {
        return seed;
    }

    /** A stable, human-readable description that changes with every setting. */
    @Override
    public String toString() {
        return cellType + (cellType == CellType.ELMAN ? "(" + activation + ")" : "")
                + " D=" + inputSize + " H=" + Arrays.toString(hiddenSizes) + " O=" + outputSize
                + " loss=" + loss + "/" + lossSteps + " seed=" + seed;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NetworkConfig)) {
            return false;
        }
        NetworkConfig that = (NetworkConfig) o;
        return inputSize == that.inputSize && Arrays.equals(hiddenSizes, that.hiddenSizes)
                && cellType == that.cellType && activation == that.activation
                && outputSize == that.outputSize && loss == that.loss && lossSteps == that.lossSteps
                && seed == that.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputSize, Arrays.hashCode(hiddenSizes), cellType, activation, outputSize, loss,
                lossSteps, seed);
    }

    public static final class Builder {
        private int inputSize = 1;
        private int[] hiddenSizes = {32};
        private CellType cellType = CellType.LSTM;
        private Activation activation = Activation.TANH;
        private int outputSize = -1;
        private Loss loss = Loss.SQUARED_ERROR;
        private LossSteps lossSteps = LossSteps.ALL;
        private long seed = 42L;

        private Builder() {
        }

        public Builder inputSize(int d) {
            this.inputSize = d;
            return this;
        }

        /** Hidden sizes, bottom layer first; the depth is their number. */
        public Builder hiddenSizes(int... sizes) {
            this.hiddenSizes = sizes.clone();
            return this;
        }

        public Builder cellType(CellType type) {
            this.cellType = type;
            return this;
        }

        public Builder activation(Activation a) {
            this.activation = a;
            return this;
        }

        /** Output size {@code O}; defaults to the input size (forecasting the next reading). */
        public Builder outputSize(int o) {
            this.outputSize = o;
            return this;
        }

        public Builder loss(Loss l) {
            this.loss = l;
            return this;
        }

        public Builder lossSteps(LossSteps s) {
            this.lossSteps = s;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public NetworkConfig build() {
            require(inputSize >= 1, "inputSize must be >= 1, got " + inputSize);
            require(hiddenSizes.length >= 1, "hiddenSizes must name at least one layer");
            for (int h : hiddenSizes) {
                require(h >= 1, "every hidden size must be >= 1, got " + Arrays.toString(hiddenSizes));
            }
            int outputs = outputSize == -1 ? inputSize : outputSize;
            require(outputs >= 1, "outputSize must be >= 1, got " + outputs);
            require(cellType != null, "cellType must be one of " + Arrays.toString(CellType.values()));
            require(activation != null, "activation must be one of " + Arrays.toString(Activation.values()));
            require(loss != null, "loss must be one of " + Arrays.toString(Loss.values()));
            require(lossSteps != null, "lossSteps must be one of " + Arrays.toString(LossSteps.values()));
            require(loss != Loss.SOFTMAX_CROSS_ENTROPY || outputs >= 2,
                    "softmax cross-entropy needs outputSize >= 2, got " + outputs);
            return new NetworkConfig(this, outputs);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}

package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Validation of NetworkConfig, OptimizerConfig and LearnerConfig, and LearnerConfig's fingerprint. */
class ConfigValidationTest {

    static String rejected(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String part : parts) {
            assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' should contain '" + part + "'");
        }
        return ex.getMessage();
    }

    // ---- NetworkConfig

    @Test
    void networkRejectsInputSizeZero() {
        rejected(() -> NetworkConfig.builder().inputSize(0).build(), "inputSize", "got 0");
        rejected(() -> NetworkConfig.builder().inputSize(-3).build(), "inputSize", "got -3");
    }

    @Test
    void networkRejectsEmptyHiddenSizes() {
        rejected(() -> NetworkConfig.builder().hiddenSizes().build(), "hiddenSizes");
    }

    @Test
    void networkRejectsHiddenSizeZero() {
        rejected(() -> NetworkConfig.builder().hiddenSizes(0).build(), "hidden size", "[0]");
        rejected(() -> NetworkConfig.builder().hiddenSizes(8, 0, 4).build(), "hidden size", "[8, 0, 4]");
    }

    @Test
    void networkRejectsOutputSizeZero() {
        rejected(() -> NetworkConfig.builder().outputSize(0).build(), "outputSize", "got 0");
    }

    @Test
    void networkRejectsSoftmaxWithOneOutput() {
        rejected(() -> NetworkConfig.builder().inputSize(3).outputSize(1).loss(Loss.SOFTMAX_CROSS_ENTROPY).build(),
                "softmax", "outputSize", "got 1");
        // and the default output size (= input size 1) is rejected too
        rejected(() -> NetworkConfig.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).build(), "softmax", "outputSize");
        assertEquals(2, NetworkConfig.builder().inputSize(3).outputSize(2).loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .build().outputSize());
    }

    @Test
    void networkRejectsNullEnums() {
        rejected(() -> NetworkConfig.builder().cellType(null).build(), "cellType");
        rejected(() -> NetworkConfig.builder().loss(null).build(), "loss");
        rejected(() -> NetworkConfig.builder().lossSteps(null).build(), "lossSteps");
        rejected(() -> NetworkConfig.builder().activation(null).build(), "activation");
    }

    @Test
    void networkDefaultsAndAccessors() {
        NetworkConfig c = NetworkConfig.builder().inputSize(4).hiddenSizes(8, 6).cellType(CellType.GRU).seed(9).build();
        assertEquals(4, c.inputSize());
        assertEquals(4, c.outputSize(), "output size defaults to the input size");
        assertEquals(2, c.depth());
        assertEquals(6, c.hiddenSize(1));
        assertArrayEquals(new int[] {8, 6}, c.hiddenSizes());
        assertEquals(CellType.GRU, c.cellType());
        assertEquals(9, c.seed());
        assertEquals(Loss.SQUARED_ERROR, c.loss());
        assertEquals(LossSteps.ALL, c.lossSteps());
        // defensive copies
        c.hiddenSizes()[0] = 99;
        assertEquals(8, c.hiddenSize(0));
        int[] sizes = {5};
        NetworkConfig.Builder b = NetworkConfig.builder().hiddenSizes(sizes);
        sizes[0] = 0;
        assertEquals(5, b.build().hiddenSize(0));
    }

    /**
     * A builder is reusable: {@code build()} must not freeze the defaulted output size into the builder, so
     * a later {@code inputSize(3)} on the same builder still gets {@code outputSize == 3}.
     */
    @Test
    void buildDoesNotFreezeTheDefaultOutputSizeIntoTheBuilder() {
        NetworkConfig.Builder b = NetworkConfig.builder().inputSize(1);
        assertEquals(1, b.build().outputSize());
        NetworkConfig three = b.inputSize(3).build();
        assertEquals(3, three.outputSize(), "output size should default to the new input size 3");
    }

    // ---- OptimizerConfig

    @Test
    void optimizerRejectsNonPositiveOrNonFiniteLearningRate() {
        for (double lr : new double[] {0.0, -0.0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY}) {
            rejected(() -> OptimizerConfig.sgd(lr), "learning rate", String.valueOf(lr));
            rejected(() -> OptimizerConfig.momentum(lr, 0.9), "learning rate");
            rejected(() -> OptimizerConfig.adam(lr), "learning rate");
        }
        assertEquals(1e-6, OptimizerConfig.sgd(1e-6).learningRate());
    }

    @Test
    void optimizerRejectsMomentumOutsideZeroOne() {
        rejected(() -> OptimizerConfig.momentum(0.1, 1.0), "momentum", "got 1.0");
        rejected(() -> OptimizerConfig.momentum(0.1, 1.5), "momentum");
        rejected(() -> OptimizerConfig.momentum(0.1, -0.1), "momentum");
        rejected(() -> OptimizerConfig.momentum(0.1, Double.NaN), "momentum");
        assertEquals(0.0, OptimizerConfig.momentum(0.1, 0.0).momentum());
        assertEquals(0.99, OptimizerConfig.momentum(0.1, 0.99).momentum());
    }

    @Test
    void optimizerRejectsBetaOne() {
        rejected(() -> OptimizerConfig.adam(0.1, 1.0, 0.999, 1e-8), "beta1", "got 1.0");
        rejected(() -> OptimizerConfig.adam(0.1, 0.9, 1.0, 1e-8), "beta2", "got 1.0");
        rejected(() -> OptimizerConfig.adam(0.1, -0.1, 0.999, 1e-8), "beta1");
        rejected(() -> OptimizerConfig.adam(0.1, 0.9, Double.NaN, 1e-8), "beta2");
        rejected(() -> OptimizerConfig.adam(0.1, 0.9, 0.999, 0.0), "epsilon");
        rejected(() -> OptimizerConfig.adam(0.1, 0.9, 0.999, Double.NaN), "epsilon");
        OptimizerConfig a = OptimizerConfig.adam(0.1);
        assertEquals(OptimizerConfig.Kind.ADAM, a.kind());
        assertEquals(0.9, a.beta1());
        assertEquals(0.999, a.beta2());
        assertEquals(1e-8, a.epsilon());
    }

    // ---- LearnerConfig

    @Test
    void learnerRejectsK1AboveK2() {
        rejected(() -> LearnerConfig.builder().k1(17).k2(16).build(), "k1", "k1=17", "k2=16");
    }

    @Test
    void learnerRejectsK1Zero() {
        rejected(() -> LearnerConfig.builder().k1(0).k2(16).build(), "k1", "k1=0");
    }

    @Test
    void learnerRejectsOutputSizeDifferentFromInputSize() {
        NetworkConfig net = NetworkConfig.builder().inputSize(3).outputSize(2).build();
        rejected(() -> LearnerConfig.builder().network(net).build(), "outputSize == inputSize", "O=2");
    }

    @Test
    void learnerRejectsSoftmaxLoss() {
        NetworkConfig net = NetworkConfig.builder().inputSize(3).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        assertEquals(3, net.outputSize());
        rejected(() -> LearnerConfig.builder().network(net).build(), "SQUARED_ERROR", "SOFTMAX_CROSS_ENTROPY");
    }

    @Test
    void learnerRejectsNulls() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> LearnerConfig.builder().optimizer(null).build());
        assertEquals("optimizer", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> LearnerConfig.builder().clipping(null).build());
        assertEquals("clipping", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> LearnerConfig.builder().network(null).build());
        assertEquals("network", e.getMessage());
    }

    // ---- fingerprint

    static LearnerConfig.Builder base() {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(2).hiddenSizes(16).cellType(CellType.LSTM).seed(3).build())
                .k1(8).k2(16)
                .optimizer(OptimizerConfig.adam(0.005))
                .clipping(GradientClipping.of(1.0, 0))
                .normaliseInputs(true);
    }

    @Test
    void fingerprintIsSixteenHexDigitsAndEqualForEqualConfigs() {
        LearnerConfig a = base().build();
        LearnerConfig b = base().build();
        assertTrue(a.fingerprint().matches("[0-9a-f]{16}"), a.fingerprint());
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.fingerprint(), a.toBuilder().build().fingerprint());
        assertEquals(a.fingerprint(), a.fingerprint(), "stable across calls");
    }

    @Test
    void fingerprintIsTheFirstEightBytesOfSha256OfToString() throws Exception {
        LearnerConfig a = base().build();
        byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                .digest(a.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.util.HexFormat.of().formatHex(d, 0, 8), a.fingerprint());
    }

    @Test
    void fingerprintChangesWithEverySetting() {
        LearnerConfig a = base().build();
        NetworkConfig net = a.network();
        Map<String, LearnerConfig> variants = new LinkedHashMap<>();
        variants.put("seed", base().network(net.toBuilder().seed(4).build()).build());
        variants.put("k1", base().k1(7).build());
        variants.put("k2", base().k2(17).build());
        variants.put("lr", base().optimizer(OptimizerConfig.adam(0.0051)).build());
        variants.put("optimizer kind", base().optimizer(OptimizerConfig.sgd(0.005)).build());
        variants.put("beta2", base().optimizer(OptimizerConfig.adam(0.005, 0.9, 0.99, 1e-8)).build());
        variants.put("cell", base().network(net.toBuilder().cellType(CellType.GRU).build()).build());
        variants.put("hidden size", base().network(net.toBuilder().hiddenSizes(17).build()).build());
        variants.put("depth", base().network(net.toBuilder().hiddenSizes(16, 16).build()).build());
        variants.put("loss steps", base().network(net.toBuilder().lossSteps(LossSteps.LAST).build()).build());
        variants.put("clip norm", base().clipping(GradientClipping.of(2.0, 0)).build());
        variants.put("clip value", base().clipping(GradientClipping.of(1.0, 0.5)).build());
        variants.put("no clipping", base().clipping(GradientClipping.NONE).build());
        variants.put("normalise", base().normaliseInputs(false).build());
        Set<String> seen = new HashSet<>();
        seen.add(a.fingerprint());
        for (Map.Entry<String, LearnerConfig> v : variants.entrySet()) {
            assertNotEquals(a.fingerprint(), v.getValue().fingerprint(), v.getKey() + " must change the fingerprint");
            assertNotEquals(a, v.getValue(), v.getKey());
            assertTrue(seen.add(v.getValue().fingerprint()), v.getKey() + " collides with another variant");
        }
    }

    @Test
    void elmanActivationChangesTheFingerprint() {
        NetworkConfig tanh = NetworkConfig.builder().inputSize(2).cellType(CellType.ELMAN).activation(Activation.TANH)
                .build();
        NetworkConfig relu = tanh.toBuilder().activation(Activation.RELU).build();
        assertNotEquals(base().network(tanh).build().fingerprint(), base().network(relu).build().fingerprint());
    }
}

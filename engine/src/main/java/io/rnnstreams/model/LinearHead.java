package io.rnnstreams.model;

import java.util.List;

/**
 * The per-step output layer {@code o_t = c + V h_t}, {@code V: O x H}, {@code c: O}, applied to the
 * top layer's {@code h}. Backward: {@code dV += do h^T}, {@code dc += do}, {@code dh += V^T do}.
 */
public final class LinearHead {
    private final int inputSize;
    private final int outputSize;
    final Parameter v;
    final Parameter c;
    private final List<Parameter> parameters;

    LinearHead(int inputSize, int outputSize) {
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.v = new Parameter("head.V", outputSize, inputSize);
        this.c = new Parameter("head.c", outputSize, 1);
        this.parameters = List.of(v, c);
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    /** V, c. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** {@code out = c + V h}; {@code h} has at least {@code H} entries. */
    void forward(double[] h, double[] out) {
        System.arraycopy(c.value[0], 0, out, 0, outputSize);
        Kernels.multiplyAdd(v.value, h, out);
    }

    /** Accumulates {@code dV}, {@code dc}; adds {@code V^T dOut} to {@code dh[0..H)}. */
    void backward(double[] h, double[] dOut, double[] dh) {
        Kernels.outerAdd(v.grad, dOut, h);
        Kernels.axpy(1.0, dOut, c.grad[0]);
        Kernels.transposeMultiplyAdd(v.value, dOut, dh);
    }
}

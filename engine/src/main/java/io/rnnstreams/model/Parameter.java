package io.rnnstreams.model;

import java.util.Arrays;

/**
 * One trainable tensor: a {@code rows x cols} matrix (a bias is {@code rows x 1}) with its gradient.
 *
 * <p>Stored as one array per column: {@code value[j][i]} is row {@code i} of column {@code j}. This is
 * the layout the hot matrix-vector loops want: {@code y += W x} is a sum of columns scaled by
 * {@code x[j]} ({@code y[i] += value[j][i] * x[j]}, the arrays indexed by the bare loop counter, which
 * the JIT vectorises), and {@code W^T g} is one dot product per column.
 */
public final class Parameter {
    private final String name;
    private final int rows;
    private final int cols;
    /** {@code value[column][row]}. */
    final double[][] value;
    /** {@code grad[column][row]}, same shape as {@link #value}. */
    final double[][] grad;

    Parameter(String name, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(name + ": shape must be positive, got " + rows + "x" + cols);
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.value = new double[cols][rows];
        this.grad = new double[cols][rows];
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of scalars, {@code rows * cols}. */
    public int size() {
        return rows * cols;
    }

    /** Element {@code (row, col)} of the value. */
    public double get(int row, int col) {
        return value[col][row];
    }

    /** Sets element {@code (row, col)} of the value. */
    public void set(int row, int col, double v) {
        value[col][row] = v;
    }

    /** Element {@code (row, col)} of the accumulated gradient. */
    public double gradient(int row, int col) {
        return grad[col][row];
    }

    void zeroGrad() {
        for (double[] column : grad) {
            Arrays.fill(column, 0.0);
        }
    }

    /** Copies the values column by column into {@code dst} from {@code offset}; returns the next offset. */
    int writeValues(double[] dst, int offset) {
        return write(value, dst, offset);
    }

    /** Reads the values column by column from {@code src} at {@code offset}; returns the next offset. */
    int readValues(double[] src, int offset) {
        return read(value, src, offset);
    }

    int writeGradient(double[] dst, int offset) {
        return write(grad, dst, offset);
    }

    static int write(double[][] columns, double[] dst, int offset) {
        for (double[] column : columns) {
            System.arraycopy(column, 0, dst, offset, column.length);
            offset += column.length;
        }
        return offset;
    }

    static int read(double[][] columns, double[] src, int offset) {
        for (double[] column : columns) {
            System.arraycopy(src, offset, column, 0, column.length);
            offset += column.length;
        }
        return offset;
    }

    @Override
    public String toString() {
        return name + "[" + rows + "x" + cols + "]";
    }
}

package io.rnnstreams.model;

import java.util.List;

/**
 * Operations over an ordered list of {@link Parameter}s, the one way {@link Network}, {@link EncoderDecoder},
 * {@link FixedLagSmoother} and {@link GuardedUpdate} flatten, restore, clear and check their weights. Flat arrays
 * hold each parameter's values column by column, in list order.
 */
final class Parameters {
    private Parameters() {
    }

    /** Scalars in all of {@code parameters}: the length of their flat array. */
    static int count(List<Parameter> parameters) {
        return parameters.stream().mapToInt(Parameter::size).sum();
    }

    /** Writes every value into {@code dst} ({@code count} entries, checked as {@code what}). */
    static void writeValues(List<Parameter> parameters, double[] dst, int count, String what) {
        Network.requireLength(dst, count, what);
        writeValues(parameters, dst);
    }

    /** Writes every value into {@code dst} from offset 0 (unchecked: {@code dst} has at least the count). */
    static void writeValues(List<Parameter> parameters, double[] dst) {
        int offset = 0;
        for (Parameter p : parameters) {
            offset = p.writeValues(dst, offset);
        }
    }

    /** Reads every value written by {@link #writeValues} ({@code count} entries, checked as {@code what}). */
    static void readValues(List<Parameter> parameters, double[] src, int count, String what) {
        Network.requireLength(src, count, what);
        readValues(parameters, src);
    }

    /** Reads every value from {@code src} from offset 0 (unchecked). */
    static void readValues(List<Parameter> parameters, double[] src) {
        int offset = 0;
        for (Parameter p : parameters) {
            offset = p.readValues(src, offset);
        }
    }

    /** Writes every accumulated gradient, in the order of {@link #writeValues}. */
    static void writeGradients(List<Parameter> parameters, double[] dst, int count, String what) {
        Network.requireLength(dst, count, what);
        int offset = 0;
        for (Parameter p : parameters) {
            offset = p.writeGradient(dst, offset);
        }
    }

    static void zeroGradients(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    /** Whether every value is finite ({@link Model#allFinite} column by column). */
    static boolean valuesFinite(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            for (double[] column : p.value) {
                if (!Model.allFinite(column)) {
                    return false;
                }
            }
        }
        return true;
    }
}

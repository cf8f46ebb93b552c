package io.rnnstreams.eval.detection;

/**
 * A labelled anomaly window of one series, as NAB scores it: rows {@code first..last}, both inclusive.
 * A detection anywhere inside is a true positive (the earlier the better); the window's width also scales
 * the cost of false positives after it.
 */
public record LabelledWindow(int first, int last) {
    public LabelledWindow {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("need 0 <= first <= last, got " + first + ".." + last);
        }
    }

    /** Rows in the window. */
    public int width() {
        return last - first + 1;
    }
}

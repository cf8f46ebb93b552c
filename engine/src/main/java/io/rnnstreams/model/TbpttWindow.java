package io.rnnstreams.model;

import java.util.Arrays;

/**
 * The sliding window of truncated BPTT(k1, k2) for one sequence: a ring buffer of the last {@code k2}
 * (input, target) pairs and the anchor, the recurrent state just before the oldest pair.
 *
 * <p>Every {@code k1} pushes the model trains on the window from the anchor ({@link Model#train}). The
 * anchor is moved at training time: of the {@code n} pairs present, {@code max(0, n + k1 - k2)} will
 * have left the ring before the next training, so the new anchor is the recomputed state after that
 * many steps. Memory: {@code k2 * (D + O) + S} doubles, fixed at construction; nothing grows with the
 * number of readings.
 */
public final class TbpttWindow {
    private final int k1;
    private final int k2;
    final double[][] inputs;
    final double[][] targets;
    final double[] anchor;
    private int count;
    private int head;
    private int pushesSinceUpdate;
    /** Pairs pushed since this window was made (not part of the stored state: {@link SequenceState#roundToStored}). */
    private long pushes;

    public TbpttWindow(int k1, int k2, int inputSize, int outputSize, int stateSize) {
        if (k1 < 1 || k1 > k2) {
            throw new IllegalArgumentException("TBPTT needs 1 <= k1 <= k2, got k1=" + k1 + ", k2=" + k2);
        }
        this.k1 = k1;
        this.k2 = k2;
        this.inputs = new double[k2][inputSize];
        this.targets = new double[k2][outputSize];
        this.anchor = new double[stateSize];
    }

    /** Appends a pair (copied), dropping the oldest when full; returns true when a training is due. */
    public boolean push(double[] input, double[] target) {
        int slot;
        if (count < k2) {
            slot = (head + count) % k2;
            count++;
        } else {
            slot = head;
            head = (head + 1) % k2;
        }
        System.arraycopy(input, 0, inputs[slot], 0, inputs[slot].length);
        System.arraycopy(target, 0, targets[slot], 0, targets[slot].length);
        pushesSinceUpdate++;
        pushes++;
        return pushesSinceUpdate >= k1;
    }

    /** Pairs pushed since this window was made: a count of its writes, not part of its state. */
    long pushes() {
        return pushes;
    }

    /** Pairs held, {@code <= k2}. */
    public int count() {
        return count;
    }

    /** Ring index of the oldest pair. */
    public int head() {
        return head;
    }

    public int pushesSinceUpdate() {
        return pushesSinceUpdate;
    }

    public int k1() {
        return k1;
    }

    public int k2() {
        return k2;
    }

    /** Steps from the anchor to the next anchor: pairs that leave the ring before the next training. */
    int anchorAdvance() {
        return Math.max(0, count + k1 - k2);
    }

    /** The pass of a training, which recorded the states after each step of the window from the anchor. */
    @FunctionalInterface
    interface TrainedPass {
        /** Writes the flat state after the first {@code k} steps ({@code 0}: the anchor) to {@code dst}. */
        void stateAfter(int k, double[] dst);
    }

    /**
     * Called after a training over this window: the anchor moves {@link #anchorAdvance()} steps on, to the state
     * {@code pass} recorded there (zeroed if it is not finite), and the count of pushes restarts.
     */
    void advanceAnchor(TrainedPass pass) {
        pass.stateAfter(anchorAdvance(), anchor);
        if (!Model.allFinite(anchor)) {
            Arrays.fill(anchor, 0.0);
        }
        trained();
    }

    /** Called after a training: the anchor moved and the count of pushes restarts. */
    void trained() {
        pushesSinceUpdate = 0;
    }

    /** The anchor state (read-only view intended; the model writes it after training). */
    public double[] anchor() {
        return anchor;
    }

    /** Forgets every pair and zeroes the anchor. */
    void clear() {
        count = 0;
        head = 0;
        pushesSinceUpdate = 0;
        Arrays.fill(anchor, 0.0);
    }

    void restore(int count, int head, int pushesSinceUpdate) {
        if (count < 0 || count > k2 || head < 0 || head >= k2 || pushesSinceUpdate < 0 || pushesSinceUpdate >= k1) {
            throw new IllegalArgumentException("window position out of range: count=" + count + ", head=" + head
                    + ", pushesSinceUpdate=" + pushesSinceUpdate + " for k1=" + k1 + ", k2=" + k2);
        }
        this.count = count;
        this.head = head;
        this.pushesSinceUpdate = pushesSinceUpdate;
    }
}

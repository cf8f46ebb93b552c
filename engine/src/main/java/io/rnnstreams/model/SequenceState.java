package io.rnnstreams.model;

import java.util.Arrays;

/**
 * Everything a model needs to remember about one sequence (one sensor key) between readings: the live
 * recurrent state, the TBPTT window with its anchor, the input normaliser, the last input and forecast,
 * and the reading count. Its size is fixed by the configuration, {@code O(k2 * (D + O) + S + D)}.
 */
public final class SequenceState {
    final double[] hiddenState;
    final TbpttWindow window;
    final Normaliser normaliser;
    final double[] lastInput;
    boolean hasLastInput;
    final double[] lastForecast;
    long readings;
    /**
     * Whether every window slot but those of the pairs pushed since {@link #roundedAtPushes} holds numbers already
     * in their stored form (fixed points of the rounding), so that {@link #roundToStored} need round only those:
     * true after a rounding and after {@link #readState} of halves; false at first, after {@link #importState}, a
     * read of the layout before the halves and {@link #resetRecurrentState} (whose next pushes start again at the
     * ring's first slot, leaving older unrounded slots behind them). Not part of the state.
     */
    private boolean windowRounded;
    /** {@link TbpttWindow#pushes()} when the window was last left in its stored form. */
    private long roundedAtPushes;

    public SequenceState(LearnerConfig config) {
        int stateSize = stateSize(config.network());
        int d = config.channels();
        this.hiddenState = new double[stateSize];
        this.window = new TbpttWindow(config.k1(), config.k2(), d, config.targetSize(), stateSize);
        this.normaliser = new Normaliser(d);
        this.lastInput = new double[d];
        this.lastForecast = new double[config.forecastChannels()];
    }

    /** The flat recurrent-state size of {@code network}, without building one. */
    static int stateSize(NetworkConfig network) {
        RecurrentCell cell = network.cellType().cell(network.activation());
        int s = 0;
        for (int l = 0; l < network.depth(); l++) {
            s += cell.stateSize(network.hiddenSize(l));
        }
        return s;
    }

    /**
     * The doubles this state keeps between readings: the recurrent state {@code S}, the window's
     * {@code k2 (D + O)} pairs and its anchor {@code S}, the normaliser's mean and m2 ({@code 2 D}), the last
     * input {@code D} and the last forecast {@code O}.
     */
    public long storedDoubles() {
        return 2L * hiddenState.length + (long) window.k2() * (lastInput.length + window.targets[0].length)
                + 3L * lastInput.length + lastForecast.length;
    }

    /**
     * The counters and flags this state keeps: the window's count, head and pushes since training, the
     * normaliser's count, whether there is a last input, and the reading count.
     */
    public int storedCounters() {
        return 6;
    }

    /** Readings observed. */
    public long readings() {
        return readings;
    }

    /** A copy of the live recurrent state. */
    public double[] hiddenState() {
        return hiddenState.clone();
    }

    public TbpttWindow window() {
        return window;
    }

    public Normaliser normaliser() {
        return normaliser;
    }

    /**
     * Forgets the recurrent state and the window (after a gap in the stream); keeps the normaliser and
     * the reading count, and the weights live in the model, untouched.
     */
    public void resetRecurrentState() {
        Arrays.fill(hiddenState, 0.0);
        window.clear();
        windowRounded = false;
        hasLastInput = false;
        Arrays.fill(lastInput, 0.0);
        Arrays.fill(lastForecast, 0.0);
    }

    /**
     * This state in compact form ({@link CompactState}): the reading count, the window's count, head and pushes
     * since training, whether there is a last input; in half ({@link HalfFloats}: about 3 significant digits,
     * saturating at +-65504) the recurrent state {@code S}, the anchor {@code S} if {@code withAnchor} (a learner
     * that trains every window from a zero state keeps none), the window's {@code k2} pairs slot by slot
     * ({@code k2 (D + O)}) and the last input {@code D} (the next pair's input); in float the normaliser
     * ({@link Normaliser#writeState}). The last forecast is not written: its owner keeps it (see
     * {@link ResidualCorrector}). {@link #readState} reads it back.
     */
    public void writeState(CompactState.Writer out, boolean withAnchor) {
        out.counter(readings).counter(window.count()).counter(window.head()).counter(window.pushesSinceUpdate())
                .flag(hasLastInput);
        out.halves(hiddenState);
        if (withAnchor) {
            out.halves(window.anchor);
        }
        for (int slot = 0; slot < window.k2(); slot++) {
            out.halves(window.inputs[slot]).halves(window.targets[slot]);
        }
        out.halves(lastInput);
        normaliser.writeState(out);
    }

    /**
     * Replaces this state with what {@link #writeState} wrote; without the anchor it is zero, and the last
     * forecast is zero. A state written before the halves were added (it holds none: the recurrent state,
     * anchor, window, normaliser and last input all in float, in that order) is read too.
     *
     * @throws IllegalArgumentException if the window position does not fit the configuration
     */
    public void readState(CompactState.Reader in, boolean withAnchor) {
        readings = in.counter();
        int count = (int) in.counter();
        int head = (int) in.counter();
        int pushes = (int) in.counter();
        window.restore(count, head, pushes);
        hasLastInput = in.flag();
        if (!withAnchor) {
            Arrays.fill(window.anchor, 0.0);
        }
        if (in.hasHalves()) {
            in.halves(hiddenState);
            if (withAnchor) {
                in.halves(window.anchor);
            }
            for (int slot = 0; slot < window.k2(); slot++) {
                in.halves(window.inputs[slot]);
                in.halves(window.targets[slot]);
            }
            in.halves(lastInput);
            normaliser.readState(in);
            windowRounded = true;
            roundedAtPushes = window.pushes();
        } else {
            windowRounded = false;
            in.values(hiddenState);
            if (withAnchor) {
                in.values(window.anchor);
            }
            for (int slot = 0; slot < window.k2(); slot++) {
                in.values(window.inputs[slot]);
                in.values(window.targets[slot]);
            }
            normaliser.readState(in);
            in.values(lastInput);
        }
        Arrays.fill(lastForecast, 0.0);
    }

    /**
     * Leaves this state as {@link #writeState} then {@link #readState} of what it wrote would leave it, in place
     * (no stored form, no copy): the recurrent state, the anchor (or, without it, zeros), the window's pairs and
     * the last input rounded to half ({@link HalfFloats#round}), the normaliser rounded to float, the last
     * forecast zeroed; the counters and flags are kept as they are. For an owner that keeps its state in its
     * stored form after every reading (the same numbers, bit for bit, as the round trip: {@code
     * SequenceStateTest}).
     */
    public void roundToStored(boolean withAnchor) {
        HalfFloats.round(hiddenState);
        if (withAnchor) {
            HalfFloats.round(window.anchor);
        } else {
            Arrays.fill(window.anchor, 0.0);
        }
        long pushed = window.pushes() - roundedAtPushes;
        if (windowRounded && pushed <= window.count()) {
            // the other slots are fixed points of the rounding already: only the pairs pushed since (the newest)
            int newest = window.head() + window.count() - 1;
            for (int j = 0; j < pushed; j++) {
                int slot = (newest - j) % window.k2();
                HalfFloats.round(window.inputs[slot]);
                HalfFloats.round(window.targets[slot]);
            }
        } else {
            for (int slot = 0; slot < window.k2(); slot++) {
                HalfFloats.round(window.inputs[slot]);
                HalfFloats.round(window.targets[slot]);
            }
        }
        windowRounded = true;
        roundedAtPushes = window.pushes();
        HalfFloats.round(lastInput);
        normaliser.roundToStored();
        Arrays.fill(lastForecast, 0.0);
    }

    public SequenceSnapshot exportState() {
        int k2 = window.k2();
        int d = lastInput.length;
        int o = window.targets[0].length;
        double[] inputs = new double[k2 * d];
        double[] targets = new double[k2 * o];
        for (int s = 0; s < k2; s++) {
            System.arraycopy(window.inputs[s], 0, inputs, s * d, d);
            System.arraycopy(window.targets[s], 0, targets, s * o, o);
        }
        return new SequenceSnapshot(Model.STATE_VERSION, hiddenState.clone(), window.anchor.clone(), inputs, targets,
                window.count(), window.head(), window.pushesSinceUpdate(), normaliser.count(),
                normaliser.meanArray().clone(), normaliser.m2Array().clone(), lastInput.clone(), hasLastInput,
                lastForecast.clone(), readings);
    }

    /**
     * Replaces this state with {@code s}'s.
     *
     * @throws IllegalArgumentException if the version or any array length does not fit the configuration
     */
    public void importState(SequenceSnapshot s) {
        if (s.version() != Model.STATE_VERSION) {
            throw new IllegalArgumentException("sequence state version " + s.version()
                    + " is not supported (this build reads version " + Model.STATE_VERSION + ")");
        }
        int k2 = window.k2();
        int d = lastInput.length;
        int o = window.targets[0].length;
        Network.requireLength(s.hiddenState(), hiddenState.length, "hidden state");
        Network.requireLength(s.anchor(), window.anchor.length, "anchor");
        Network.requireLength(s.windowInputs(), k2 * d, "window inputs");
        Network.requireLength(s.windowTargets(), k2 * o, "window targets");
        Network.requireLength(s.normaliserMean(), d, "normaliser mean");
        Network.requireLength(s.normaliserM2(), d, "normaliser m2");
        Network.requireLength(s.lastInput(), d, "last input");
        Network.requireLength(s.lastForecast(), lastForecast.length, "last forecast");
        window.restore(s.windowCount(), s.windowHead(), s.pushesSinceUpdate());
        windowRounded = false;
        System.arraycopy(s.hiddenState(), 0, hiddenState, 0, hiddenState.length);
        System.arraycopy(s.anchor(), 0, window.anchor, 0, window.anchor.length);
        for (int slot = 0; slot < k2; slot++) {
            System.arraycopy(s.windowInputs(), slot * d, window.inputs[slot], 0, d);
            System.arraycopy(s.windowTargets(), slot * o, window.targets[slot], 0, o);
        }
        normaliser.setCount(s.normaliserCount());
        System.arraycopy(s.normaliserMean(), 0, normaliser.meanArray(), 0, d);
        System.arraycopy(s.normaliserM2(), 0, normaliser.m2Array(), 0, d);
        System.arraycopy(s.lastInput(), 0, lastInput, 0, d);
        hasLastInput = s.hasLastInput();
        System.arraycopy(s.lastForecast(), 0, lastForecast, 0, lastForecast.length);
        readings = s.readings();
    }
}

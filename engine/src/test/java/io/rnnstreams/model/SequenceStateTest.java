package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SequenceState#roundToStored} leaves the numbers a write and read of the stored form leave, bit for bit. */
class SequenceStateTest {

    private static LearnerConfig config(CellType cell, int hidden, int inputs, int k1, int k2) {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(inputs).hiddenSizes(hidden).cellType(cell).seed(5).build())
                .k1(k1).k2(k2).optimizer(OptimizerConfig.adam(0.01)).build();
    }

    /** Numbers of every kind a half or a float rounds differently: NaN, infinities, -0, subnormal, huge, ties. */
    private static double number(Random random) {
        int kind = random.nextInt(16);
        return switch (kind) {
            case 0 -> Double.NaN;
            case 1 -> Double.NEGATIVE_INFINITY;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> (random.nextBoolean() ? 1 : -1) * (65504.0 + random.nextInt(40));
            case 5 -> (random.nextInt(2048) + 0.5) * 0x1p-10; // a tie between two halves
            case 6 -> random.nextGaussian() * 0x1p-20;        // a half's subnormal range
            default -> random.nextGaussian() * Math.scalb(1.0, random.nextInt(40) - 20);
        };
    }

    private static void fill(Random random, double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = number(random);
        }
    }

    private static void randomise(Random random, SequenceState s) {
        fill(random, s.hiddenState);
        fill(random, s.window.anchor);
        for (int slot = 0; slot < s.window.k2(); slot++) {
            fill(random, s.window.inputs[slot]);
            fill(random, s.window.targets[slot]);
        }
        fill(random, s.lastInput);
        fill(random, s.lastForecast);
        fill(random, s.normaliser.meanArray());
        fill(random, s.normaliser.m2Array());
        s.normaliser.setCount(random.nextInt(1000));
        s.window.restore(random.nextInt(s.window.k2() + 1), random.nextInt(s.window.k2()),
                random.nextInt(s.window.k1()));
        s.hasLastInput = random.nextBoolean();
        s.readings = random.nextInt(1_000_000);
    }

    /** Every number and counter of the state, as raw bits. */
    private static long[] bits(SequenceState s) {
        List<double[]> arrays = new ArrayList<>();
        arrays.add(s.hiddenState);
        arrays.add(s.window.anchor);
        for (int slot = 0; slot < s.window.k2(); slot++) {
            arrays.add(s.window.inputs[slot]);
            arrays.add(s.window.targets[slot]);
        }
        arrays.add(s.lastInput);
        arrays.add(s.lastForecast);
        arrays.add(s.normaliser.meanArray());
        arrays.add(s.normaliser.m2Array());
        List<Long> out = new ArrayList<>();
        for (double[] a : arrays) {
            for (double v : a) {
                out.add(Double.doubleToRawLongBits(v));
            }
        }
        out.add(s.normaliser.count());
        out.add((long) s.window.count());
        out.add((long) s.window.head());
        out.add((long) s.window.pushesSinceUpdate());
        out.add(s.hasLastInput ? 1L : 0L);
        out.add(s.readings);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void roundingInPlaceLeavesWhatTheStoredFormsRoundTripLeaves() {
        Random random = new Random(11);
        LearnerConfig[] configs = {config(CellType.LSTM, 32, 6, 16, 16), config(CellType.LSTM, 16, 6, 16, 16),
                config(CellType.GRU, 7, 3, 4, 12), config(CellType.LSTM, 5, 1, 1, 1)};
        CompactState.Writer writer = new CompactState.Writer();
        for (LearnerConfig config : configs) {
            for (boolean withAnchor : new boolean[] {true, false}) {
                for (int round = 0; round < 200; round++) {
                    long seed = random.nextLong();
                    SequenceState inPlace = new SequenceState(config);
                    SequenceState roundTrip = new SequenceState(config);
                    randomise(new Random(seed), inPlace);
                    randomise(new Random(seed), roundTrip);
                    inPlace.roundToStored(withAnchor);
                    roundTrip.writeState(writer.reset(), withAnchor);
                    CompactState.Reader in = new CompactState.Reader(writer);
                    roundTrip.readState(in, withAnchor);
                    in.finish();
                    assertArrayEquals(bits(roundTrip), bits(inPlace),
                            config + ", anchor " + withAnchor + ", round " + round);
                    // and rounding again changes nothing (the stored form is a fixed point)
                    long[] once = bits(inPlace);
                    inPlace.roundToStored(withAnchor);
                    assertArrayEquals(once, bits(inPlace));
                }
            }
        }
    }

    /**
     * Between roundings a state is pushed pairs (a few, or more than the ring holds), reset, read from halves or
     * from the layout before them, imported: {@link SequenceState#roundToStored}, which rounds only the slots pushed
     * since the window was last in its stored form, leaves what the full write-and-read round trip leaves.
     */
    @Test
    void roundingOnlyTheNewPairsLeavesWhatTheFullRoundTripLeaves() {
        Random random = new Random(23);
        LearnerConfig[] configs = {config(CellType.LSTM, 16, 6, 16, 16), config(CellType.GRU, 3, 2, 2, 5),
                config(CellType.LSTM, 2, 1, 1, 1)};
        CompactState.Writer writer = new CompactState.Writer();
        for (LearnerConfig config : configs) {
            for (boolean withAnchor : new boolean[] {true, false}) {
                SequenceState partial = new SequenceState(config);
                SequenceState full = new SequenceState(config);
                int d = config.network().inputSize();
                int o = config.targetSize();
                for (int step = 0; step < 20_000; step++) {
                    int op = random.nextInt(40);
                    if (op < 30) {
                        double[] input = new double[d];
                        double[] target = new double[o];
                        fill(random, input);
                        fill(random, target);
                        if (partial.window.push(input, target)) {
                            // a training: the anchor moves (to unrounded numbers), the pushes' count restarts
                            fill(random, partial.window.anchor);
                            partial.window.trained();
                        }
                        if (full.window.push(input, target)) {
                            System.arraycopy(partial.window.anchor, 0, full.window.anchor, 0,
                                    full.window.anchor.length);
                            full.window.trained();
                        }
                        fill(random, partial.hiddenState);
                        System.arraycopy(partial.hiddenState, 0, full.hiddenState, 0, full.hiddenState.length);
                    } else if (op < 37) {
                        partial.roundToStored(withAnchor);
                        full.writeState(writer.reset(), withAnchor);
                        CompactState.Reader in = new CompactState.Reader(writer);
                        full.readState(in, withAnchor);
                        in.finish();
                        assertArrayEquals(bits(full), bits(partial), config + ", anchor " + withAnchor + ", step " + step);
                    } else if (op == 37) {
                        partial.resetRecurrentState();
                        full.resetRecurrentState();
                    } else if (op == 38) {
                        // a restore from the stored form (halves), as a key read back from the store
                        full.writeState(writer.reset(), withAnchor);
                        CompactState stored = writer.build();
                        CompactState.Reader a = new CompactState.Reader(stored);
                        partial.readState(a, withAnchor);
                        CompactState.Reader b = new CompactState.Reader(stored);
                        full.readState(b, withAnchor);
                    } else {
                        // an import of unrounded numbers (the plain learner's snapshot)
                        SequenceState source = new SequenceState(config);
                        randomise(random, source);
                        SequenceSnapshot snapshot = source.exportState();
                        partial.importState(snapshot);
                        full.importState(snapshot);
                    }
                }
            }
        }
    }
}

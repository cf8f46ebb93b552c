package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@link HybridForecaster#roundToStored}, which {@link HybridForecaster#observe} ends with, rounds a key's state in
 * place part by part; it must leave exactly the numbers that the export's round trip leaves ({@code importState(state,
 * exportState(state))}: every part written to its stored form and read back), bit for bit, on states of every
 * configuration of the learner (period or none, channels, gain fit, snap, slow inputs, mixture, anchor, the
 * ablation) whose numbers (but the TBPTT window's, see {@link #randomise}) were then replaced by random ones of every
 * kind a float rounds differently (NaN with payloads, infinities, -0, subnormal, out of a float's range, ties) and the
 * linear path's reading counts by small random ones. The states are compared field by field over
 * everything the key state reaches (each double and float by its raw bits, counters and flags), not through their
 * exports, which round.
 */
class HybridForecasterRoundingTest {

    /** A learner's configuration and how to make one. */
    private record Case(String name, java.util.function.Supplier<HybridForecaster> make) {
    }

    private static LearnerConfig network(int hidden, int channels, int period, boolean slow, boolean mixture) {
        LearnerConfig base = LearnerConfig.builder().build();
        base = base.toBuilder().network(base.network().toBuilder().hiddenSizes(hidden).build()).build();
        return HybridForecaster.networkConfig(base, channels, period, 1.0, slow, mixture);
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // the stream's default shape (D = 1, no period, AR(8), slow inputs) at H = 16 and 32
        for (int hidden : new int[] {16, 32}) {
            cases.add(new Case("default H=" + hidden, () -> new HybridForecaster(ModelScope.SHARED,
                    network(hidden, 1, 0, true, false), 0, 8, true, ModelRepository.inMemory(), 100)));
        }
        cases.add(new Case("period 24, D = 2, key scope", () -> new HybridForecaster(ModelScope.KEY,
                network(8, 2, 24, true, false), 24, 8, true, ModelRepository.inMemory(), 100)));
        cases.add(new Case("period 5, D = 3, no slow inputs, not anchored", () -> new HybridForecaster(
                ModelScope.SHARED, network(6, 3, 5, false, false), 5, 3, true, false, ModelRepository.inMemory(),
                100)));
        cases.add(new Case("mixture, period 7", () -> new HybridForecaster(ModelScope.SHARED,
                network(8, 1, 7, false, true), 7, 4, true, ModelRepository.inMemory(), 100)));
        cases.add(new Case("least squares gain, no snap, absolute weights", () -> new HybridForecaster(
                ModelScope.SHARED, network(8, 2, 0, true, false), 0, 8, true, HybridForecaster.ANCHORED,
                HybridForecaster.Tuning.DEFAULTS.withGainFit(GainFit.LEAST_SQUARES).withSnapping(false)
                        .withAbsoluteWeights(true), ModelRepository.inMemory(), 100, ModelCacheBudget.unbounded(),
                null)));
        cases.add(new Case("ablation, period 12, D = 2", () -> new HybridForecaster(ModelScope.SHARED,
                network(8, 2, 12, false, false), 12, 8, false, ModelRepository.inMemory(), 100)));
        return cases;
    }

    /** Numbers of every kind a float rounds differently. */
    private static double number(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> Double.longBitsToDouble(0x7ff8000000000000L | random.nextLong() >>> 13); // NaN, a payload
            case 1 -> Double.NEGATIVE_INFINITY;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> (random.nextBoolean() ? 1 : -1) * Float.MAX_VALUE * (1 + random.nextDouble() * 1e-7);
            case 5 -> (random.nextInt(1 << 24) + 0.5) * Math.scalb(1.0, random.nextInt(40) - 44); // a float tie
            case 6 -> random.nextGaussian() * 0x1p-140;                                              // float subnormal
            case 7 -> random.nextGaussian() * 0x1p-160;                                              // below a float
            default -> random.nextGaussian() * Math.scalb(1.0, random.nextInt(60) - 30);
        };
    }

    /** Every object of the project the key state reaches, in a fixed order (lists through their elements). */
    private static void walk(Object o, Map<Object, Boolean> seen, Consumer<Object> visit) {
        walk(o, seen, visit, x -> true);
    }

    /** {@link #walk(Object, Map, Consumer)} into the objects {@code descend} accepts only. */
    private static void walk(Object o, Map<Object, Boolean> seen, Consumer<Object> visit, Predicate<Object> descend) {
        if (o == null || seen.put(o, Boolean.TRUE) != null || !descend.test(o)) {
            return;
        }
        visit.accept(o);
        if (o.getClass().isArray()) {
            if (!o.getClass().getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(o); i++) {
                    walk(Array.get(o, i), seen, visit, descend);
                }
            }
            return;
        }
        if (o instanceof List<?> list) {
            for (Object element : list) {
                walk(element, seen, visit, descend);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.rnnstreams.") || o.getClass().isEnum()) {
            return;
        }
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                try {
                    walk(f.get(o), seen, visit, descend);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * Replaces every double and float in the arrays the state reaches by a random number, and the reading count of
     * each part of the linear path by a small random one (0 in one of three): the count decides which of its
     * forecasts and seasonal slots the stored form keeps. The TBPTT window is left as the readings left it: its
     * slots are written only by pushes, and the recurrent part's rounding keeps the older ones as fixed points
     * ({@code SequenceStateTest} guards that part on random operations).
     */
    private static void randomise(HybridForecaster.KeyState state, long seed) {
        Random random = new Random(seed);
        walk(state, new IdentityHashMap<>(), o -> {
            if (o.getClass().getPackageName().equals("io.rnnstreams.eval")) {
                try {
                    Field readings = o.getClass().getDeclaredField("readings");
                    readings.setAccessible(true);
                    readings.setLong(o, random.nextInt(3) == 0 ? 0 : random.nextInt(40));
                } catch (NoSuchFieldException e) {
                    // a part without a count
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
            if (o instanceof double[] a) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = number(random);
                }
            } else if (o instanceof float[] a) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) number(random);
                }
            }
        }, o -> !(o instanceof io.rnnstreams.model.TbpttWindow));
    }

    /** Every value the state reaches, as raw bits (arrays element by element, null arrays marked). */
    private static long[] bits(HybridForecaster.KeyState state) {
        List<Long> out = new ArrayList<>();
        walk(state, new IdentityHashMap<>(), o -> {
            if (o instanceof double[] a) {
                out.add(-1L);
                for (double v : a) {
                    out.add(Double.doubleToRawLongBits(v));
                }
            } else if (o instanceof float[] a) {
                out.add(-2L);
                for (float v : a) {
                    out.add((long) Float.floatToRawIntBits(v));
                }
            } else if (o instanceof long[] a) {
                out.add(-3L);
                for (long v : a) {
                    out.add(v);
                }
            } else if (o instanceof int[] a) {
                out.add(-4L);
                for (int v : a) {
                    out.add((long) v);
                }
            } else if (o.getClass().isArray()) {
                // an array of arrays: where its elements are null
                out.add(-5L);
                for (int i = 0; i < Array.getLength(o); i++) {
                    out.add(Array.get(o, i) == null ? 0L : 1L);
                }
            } else if (o.getClass().getName().startsWith("io.rnnstreams.") && !o.getClass().isEnum()) {
                for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers())) {
                            continue;
                        }
                        f.setAccessible(true);
                        try {
                            Object v = f.get(o);
                            if (f.getType() == double.class) {
                                out.add(Double.doubleToRawLongBits((double) v));
                            } else if (f.getType() == float.class) {
                                out.add((long) Float.floatToRawIntBits((float) v));
                            } else if (f.getType().isPrimitive()) {
                                out.add(v instanceof Boolean b ? (b ? 1L : 0L) : ((Number) v).longValue());
                            } else if (v == null) {
                                out.add(Long.MIN_VALUE);
                            }
                        } catch (IllegalAccessException e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            }
        });
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void roundingInPlaceLeavesWhatTheExportsRoundTripLeaves() {
        Random random = new Random(18);
        int compared = 0;
        for (Case c : cases()) {
            for (int round = 0; round < 60; round++) {
                // two learners of the same configuration fed the same readings hold the same key state
                HybridForecaster inPlace = c.make().get();
                HybridForecaster roundTrip = c.make().get();
                HybridForecaster.KeyState a = inPlace.newKey();
                HybridForecaster.KeyState b = roundTrip.newKey();
                int channels = a.lastBase.length;
                int readings = round % 6 == 0 ? round % 4 : random.nextInt(120);
                for (int t = 0; t < readings; t++) {
                    double[] x = new double[channels];
                    for (int i = 0; i < channels; i++) {
                        x[i] = Math.sin(0.3 * t + i) + 0.1 * random.nextGaussian() + (t % 11 == 0 ? 2 : 0);
                    }
                    inPlace.observe("k", a, x);
                    roundTrip.observe("k", b, x.clone());
                }
                assertArrayEquals(bits(b), bits(a), c.name() + ": the same readings, the same state");
                long seed = random.nextLong();
                randomise(a, seed);
                randomise(b, seed);
                inPlace.roundToStored(a);
                roundTrip.importState(b, roundTrip.exportState(b));
                assertArrayEquals(bits(b), bits(a), c.name() + ", round " + round + " after " + readings
                        + " readings");
                // and rounding again changes nothing: the stored form is a fixed point
                long[] once = bits(a);
                inPlace.roundToStored(a);
                assertArrayEquals(once, bits(a), c.name() + ": rounding twice");
                compared++;
            }
        }
        assertTrue(compared >= 400, "compared " + compared);
    }
}

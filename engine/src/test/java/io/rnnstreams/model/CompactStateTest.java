package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CompactState.Reader} over a writer in place reads what a reader of the writer's build reads. */
class CompactStateTest {

    private static double[] numbers(Random random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(12);
            a[i] = kind == 0 ? Double.NaN : kind == 1 ? Double.NEGATIVE_INFINITY : kind == 2 ? -0.0
                    : random.nextGaussian() * Math.scalb(1.0, random.nextInt(80) - 40);
        }
        return a;
    }

    /** Everything one reader reads, in a fixed order, as raw bits. */
    private static long[] readAll(CompactState.Reader in, int exact, int values, int halves, int counters) {
        long[] out = new long[exact + values + halves + counters + 3];
        int o = 0;
        double[] e = new double[exact];
        in.exact(e);
        for (double v : e) {
            out[o++] = Double.doubleToRawLongBits(v);
        }
        out[o++] = in.hasHalves() ? 1 : 0;
        out[o++] = in.valuesLeft();
        double[] v = new double[values];
        in.values(v);
        for (double x : v) {
            out[o++] = Double.doubleToRawLongBits(x);
        }
        double[] h = new double[halves];
        in.halves(h);
        for (double x : h) {
            out[o++] = Double.doubleToRawLongBits(x);
        }
        for (int i = 0; i < counters; i++) {
            out[o++] = in.counter();
        }
        out[o++] = in.valuesLeft();
        in.finish();
        return out;
    }

    @Test
    void aReaderOfTheWriterReadsWhatAReaderOfItsBuildReads() {
        Random random = new Random(7);
        CompactState.Writer writer = new CompactState.Writer();
        for (int round = 0; round < 500; round++) {
            int exact = random.nextInt(40);
            int values = random.nextInt(200);
            int halves = random.nextInt(300);
            int counters = random.nextInt(20);
            writer.reset();
            writer.exact(numbers(random, exact)).values(numbers(random, values)).halves(numbers(random, halves));
            for (int i = 0; i < counters; i++) {
                writer.counter(random.nextLong());
            }
            long[] fromBuild = readAll(new CompactState.Reader(writer.build()), exact, values, halves, counters);
            long[] inPlace = readAll(new CompactState.Reader(writer), exact, values, halves, counters);
            assertArrayEquals(fromBuild, inPlace, "round " + round);
        }
    }

    @Test
    void aReaderOfTheWriterEndsWhereTheWriterStopped() {
        CompactState.Writer writer = new CompactState.Writer();
        // a longer state first, so the reused arrays hold more than the next one wrote
        writer.exact(new double[30]).values(new double[100]).halves(new double[100]).counter(5).counter(6);
        writer.reset().exact(new double[] {1.5}).values(new double[] {2.5, 3.5}).counter(9);
        CompactState.Reader in = new CompactState.Reader(writer);
        assertFalse(in.hasHalves());
        assertEquals(2, in.valuesLeft());
        assertEquals(1.5, in.exact());
        assertThrows(IllegalArgumentException.class, in::exact);
        in.values(new double[2]);
        assertEquals(0, in.valuesLeft());
        assertThrows(IllegalArgumentException.class, () -> in.values(new double[1]));
        assertThrows(IllegalArgumentException.class, () -> in.halves(new double[1]));
        assertThrows(IllegalArgumentException.class, in::finish);   // the counter is left
        assertEquals(9, in.counter());
        assertThrows(IllegalArgumentException.class, in::counter);
        in.finish();
    }
}

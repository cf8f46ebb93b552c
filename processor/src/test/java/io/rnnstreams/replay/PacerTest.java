package io.rnnstreams.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pacing against a fake clock: no real sleeps, no timed assertions. */
class PacerTest {
    private static final long MINUTE = 60_000;
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final FakeClock clock = new FakeClock();

    private Pacer pacer(double speed) {
        return new Pacer(speed, clock::nanoTime, clock::sleep);
    }

    @Test
    void delaysFollowEventTimeDividedBySpeed() {
        Pacer p = pacer(60);
        long t0 = 1_467_331_200_000L;
        assertEquals(0, p.delayNanos(t0), "the first reading anchors the schedule and goes at once");
        assertEquals(SECOND_NANOS, p.delayNanos(t0 + MINUTE), "a minute of event time is a second at speed 60");
        assertEquals(2 * SECOND_NANOS, p.delayNanos(t0 + 2 * MINUTE));
        clock.advanceMillis(1_500);
        assertEquals(SECOND_NANOS / 2, p.delayNanos(t0 + 2 * MINUTE), "time spent sending counts");
        clock.advanceMillis(5_000); // now 6.5 s after the anchor
        assertEquals(0, p.delayNanos(t0 + 2 * MINUTE), "late readings go at once, without waiting");
        assertEquals(0, p.delayNanos(t0 + 6 * MINUTE), "still behind schedule: no waiting");
        assertEquals(SECOND_NANOS / 2, p.delayNanos(t0 + 7 * MINUTE), "no catching up: the schedule stays");
        assertEquals(0, p.delayNanos(t0 - MINUTE), "event time going back goes at once");
    }

    @Test
    void realTimeAndFastSpeeds() {
        Pacer real = pacer(1);
        real.delayNanos(0);
        assertEquals(TimeUnit.HOURS.toNanos(1), real.delayNanos(3_600_000));
        Pacer fast = pacer(3600);
        fast.delayNanos(0);
        assertEquals(SECOND_NANOS, fast.delayNanos(3_600_000), "an hour a second");
        assertEquals(278, fast.delayNanos(1), "a millisecond at 3600x: 277.8 ns, rounded up");
    }

    @Test
    void awaitSleepsInSlicesAndReportsWhileWaiting() throws Exception {
        Pacer p = pacer(60);
        AtomicInteger ticks = new AtomicInteger();
        assertTrue(p.await(0, () -> ticks.incrementAndGet() > 0));
        assertEquals(List.of(), clock.sleeps, "the first reading does not wait");
        assertTrue(p.await(2 * MINUTE, () -> ticks.incrementAndGet() > 0));
        assertEquals(2 * SECOND_NANOS, clock.totalSleptNanos());
        assertEquals(List.of(Pacer.SLICE_NANOS, Pacer.SLICE_NANOS, Pacer.SLICE_NANOS, Pacer.SLICE_NANOS), clock.sleeps);
        assertEquals(4, ticks.get(), "progress after every slice");
        assertTrue(p.await(2 * MINUTE + 6_000, () -> true));
        assertEquals(List.of(Pacer.SLICE_NANOS, Pacer.SLICE_NANOS, Pacer.SLICE_NANOS, Pacer.SLICE_NANOS,
                SECOND_NANOS / 10), clock.sleeps);
    }

    @Test
    void awaitStopsWhenAsked() throws Exception {
        Pacer p = pacer(1);
        p.await(0, () -> true);
        AtomicInteger ticks = new AtomicInteger();
        assertFalse(p.await(3_600_000, () -> ticks.incrementAndGet() < 3), "an hour's wait cut short");
        assertEquals(3, ticks.get());
        assertEquals(3 * Pacer.SLICE_NANOS, clock.totalSleptNanos());
    }

    @Test
    void aWakeUpBeforeTimeSleepsAgain() throws Exception {
        Pacer p = new Pacer(60, clock::nanoTime, nanos -> clock.sleep(Math.max(1, nanos / 2))); // wakes early
        p.await(0, () -> true);
        assertTrue(p.await(MINUTE, () -> true));
        assertTrue(clock.totalSleptNanos() >= SECOND_NANOS - 1, "slept until due: " + clock.totalSleptNanos());
    }

    @Test
    void unpacedNeverWaits() throws Exception {
        Pacer p = Pacer.unpaced();
        assertFalse(p.paced());
        assertEquals(0, p.delayNanos(0));
        assertEquals(0, p.delayNanos(Long.MAX_VALUE));
        assertTrue(p.await(Long.MAX_VALUE, () -> {
            throw new AssertionError("no waiting");
        }));
    }

    @Test
    void hugeGapsDoNotOverflow() {
        Pacer p = pacer(1e-6);
        p.delayNanos(Long.MIN_VALUE / 2);
        long d = p.delayNanos(Long.MAX_VALUE / 2);
        assertTrue(d > 0 && d <= Long.MAX_VALUE / 2, Long.toString(d));
    }

    @Test
    void speedMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> pacer(0));
        assertThrows(IllegalArgumentException.class, () -> pacer(-1));
        assertThrows(IllegalArgumentException.class, () -> pacer(Double.NaN));
    }
}

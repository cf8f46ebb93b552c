package io.rnnstreams.replay;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces records by event time: at speed X, a reading whose event time is {@code d} milliseconds after the first
 * reading's is due {@code d / X} milliseconds after the first was sent (speed 1 is real time, 3600 turns an hour
 * into a second). Readings whose time has passed (a slow broker, or event time that goes back, as when a second
 * file starts earlier) go at once; there is no catching up by waiting less later, nor skipping. The clock and
 * the sleeper are injected so that tests need no real sleeps.
 */
public final class Pacer {
    /** Sleeps the given number of nanoseconds (or less, if woken). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    /** The longest single sleep: waiting is sliced so that progress keeps being reported. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Delays are capped here (146 years), so that adding one to a clock reading cannot overflow. */
    private static final long MAX_DELAY = Long.MAX_VALUE / 2;

    private final double speed;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private boolean anchored;
    private long anchorEventTime;
    private long anchorNanos;

    /**
     * @param speed     event time per wall-clock time, > 0; {@code Double.POSITIVE_INFINITY} never waits
     * @param nanoClock a monotonic clock in nanoseconds, such as {@link System#nanoTime()}
     * @param sleeper   how to wait
     */
    public Pacer(double speed, LongSupplier nanoClock, Sleeper sleeper) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, not " + speed);
        }
        this.speed = speed;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** A pacer at {@code speed} on the system clock with {@link Thread#sleep}. */
    public static Pacer realTime(double speed) {
        return new Pacer(speed, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    /** A pacer that never waits. */
    public static Pacer unpaced() {
        return new Pacer(Double.POSITIVE_INFINITY, System::nanoTime, nanos -> { });
    }

    /** Whether this pacer ever waits. */
    public boolean paced() {
        return speed != Double.POSITIVE_INFINITY;
    }

    /**
     * Nanoseconds from now until the reading at {@code eventTime} is due; 0 when it is due already. The first
     * call anchors the schedule: that reading is due at once.
     */
    public long delayNanos(long eventTime) {
        if (!paced()) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        if (!anchored) {
            anchored = true;
            anchorEventTime = eventTime;
            anchorNanos = now;
            return 0;
        }
        double offsetNanos = ((double) eventTime - anchorEventTime) * 1e6 / speed;
        if (offsetNanos <= 0) {
            return 0;
        }
        double delay = offsetNanos - (double) (now - anchorNanos);
        if (delay <= 0) {
            return 0;
        }
        return delay >= MAX_DELAY ? MAX_DELAY : (long) Math.ceil(delay);
    }

    /**
     * Waits until the reading at {@code eventTime} is due, in slices of at most {@value #SLICE_NANOS} ns, and
     * calls {@code whileWaiting} after every slice; stops waiting early when it returns false.
     *
     * @return true when the reading is due, false when {@code whileWaiting} cut the wait short
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean await(long eventTime, java.util.function.BooleanSupplier whileWaiting) throws InterruptedException {
        long delay = delayNanos(eventTime);
        long due = nanoClock.getAsLong() + delay;
        while (delay > 0) {
            sleeper.sleep(Math.min(delay, SLICE_NANOS));
            if (!whileWaiting.getAsBoolean()) {
                return false;
            }
            delay = due - nanoClock.getAsLong();
        }
        return true;
    }
}

package io.rnnstreams.it.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The warm-up's timed part ({@code bench.warmupSeconds}): after the cell's first {@link BenchConfig#warmupReadings}
 * readings, more readings as fast as possible, a chunk at a time of about a second's worth at the last chunk's rate
 * (at least {@value #MIN_CHUNK}, at most {@value #MAX_CHUNK} readings), until the time has passed since the warm-up
 * <b>began</b> (the first readings' time counts): the phases after it then measure compiled code, not a JIT compiler
 * at work, and the calibration starts from the warm rate. A chunk that is started always completes, so the warm-up
 * ends at most one chunk after the time. The clock and the bursts are passed in, so that the decision is tested
 * without a broker ({@code BenchPiecesTest}).
 */
final class WarmUp {
    static final int MIN_CHUNK = 1_000;
    static final int MAX_CHUNK = 100_000;

    private WarmUp() {
    }

    /** Sends {@code readings} readings as fast as possible and returns the rate they were processed at, per second. */
    interface Burst {
        double send(int readings) throws Exception;
    }

    /**
     * @param readings the warm-up's readings so far, including the timed chunks
     * @param rate     the last chunk's rate, per second (the first readings' if no chunk was sent)
     */
    record Done(int readings, double rate) {
    }

    /**
     * Sends chunks through {@code burst} while fewer than {@code time} milliseconds of {@code clock} have passed since
     * {@code startedAt}; none if they already have (or {@code time} is zero).
     *
     * @param readings  the readings of the warm-up's first part
     * @param rate      the rate they were processed at, per second: the first chunk's size
     * @param startedAt when the warm-up began, in {@code clock}'s milliseconds
     */
    static Done extend(int readings, double rate, long startedAt, Duration time, LongSupplier clock, Burst burst)
            throws Exception {
        while (clock.getAsLong() - startedAt < time.toMillis()) {
            int chunk = chunk(rate);
            rate = burst.send(chunk);
            readings += chunk;
        }
        return new Done(readings, rate);
    }

    /**
     * About a second's worth of readings at {@code rate} per second, within {@value #MIN_CHUNK}..{@value #MAX_CHUNK}.
     */
    static int chunk(double rate) {
        return (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, rate));
    }
}

package io.rnnstreams.replay;

import java.util.ArrayList;
import java.util.List;

/** A nanosecond clock that only moves when told to, and a sleeper that moves it and records every sleep. */
final class FakeClock {
    long now = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();
    Runnable onSleep = () -> { };

    long nanoTime() {
        return now;
    }

    void sleep(long nanos) {
        sleeps.add(nanos);
        now += nanos;
        onSleep.run();
    }

    void advanceMillis(long ms) {
        now += ms * 1_000_000L;
    }

    long totalSleptNanos() {
        return sleeps.stream().mapToLong(Long::longValue).sum();
    }
}

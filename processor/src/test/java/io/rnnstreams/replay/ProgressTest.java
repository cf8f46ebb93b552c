package io.rnnstreams.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void fractionFromBytesOrLimit() {
        assertEquals(0.25, Progress.fraction(250, 1000, 0, -1));
        assertEquals(1.0, Progress.fraction(1200, 1000, 0, -1), "read-ahead never shows more than 100%");
        assertEquals(0.5, Progress.fraction(250, 1000, 50, 100), "the limit is further along");
        assertEquals(0.25, Progress.fraction(250, 1000, 5, 100));
        assertEquals(0.1, Progress.fraction(0, 0, 10, 100), "no bytes known: the limit");
        assertTrue(Double.isNaN(Progress.fraction(0, 0, 10, -1)));
    }

    @Test
    void etaAssumesTheSamePace() {
        assertEquals(30, Progress.etaSeconds(10 * SECOND, 0.25), "a quarter in 10 s: 30 s to go");
        assertEquals(10, Progress.etaSeconds(10 * SECOND, 0.5));
        assertEquals(0, Progress.etaSeconds(10 * SECOND, 1.0));
        assertEquals(3_564, Progress.etaSeconds(36 * SECOND, 0.01), "1% in 36 s: 99 x 36 s to go");
        assertEquals(-1, Progress.etaSeconds(10 * SECOND, 0), "nothing done yet");
        assertEquals(-1, Progress.etaSeconds(10 * SECOND, Double.NaN), "unknown total");
        assertEquals(-1, Progress.etaSeconds(SECOND / 2, 0.5), "too early to tell");
    }

    @Test
    void durations() {
        assertEquals("0:00", Progress.duration(0));
        assertEquals("0:59", Progress.duration(59));
        assertEquals("1:01", Progress.duration(61));
        assertEquals("59:59", Progress.duration(3_599));
        assertEquals("1:00:00", Progress.duration(3_600));
        assertEquals("27:46:40", Progress.duration(100_000));
    }

    @Test
    void lines() {
        assertEquals("replay: 12,345 records, 1,235/s, 25.0%, 0:10 elapsed, ETA 0:30, 3 bad rows",
                Progress.line("replay", 12_345, 10 * SECOND, 0.25, 3));
        assertEquals("replay: 1 record, 1/s, 100.0%, 0:01 elapsed, 1 bad row",
                Progress.line("replay", 1, SECOND, 1.0, 1), "no ETA when done");
        assertEquals("replay: 0 records, 0:00 elapsed", Progress.line("replay", 0, 0, Double.NaN, 0));
    }

    @Test
    void plainModePrintsEveryFiveSecondsAndAtTheEnd() {
        FakeClock clock = new FakeClock();
        StringWriter text = new StringWriter();
        Progress p = new Progress(Progress.Mode.PLAIN, new PrintWriter(text), clock::nanoTime, "replay", 1000, -1);
        p.update(10, 100, 0);
        clock.advanceMillis(4_999);
        p.update(20, 200, 0);
        assertEquals("", text.toString(), "not before 5 s");
        clock.advanceMillis(1);
        p.update(50, 250, 0);
        clock.advanceMillis(2_000);
        p.update(60, 300, 0);
        p.clear();
        clock.advanceMillis(3_000);
        p.finish(100, 1000, 0);
        assertEquals(String.join(System.lineSeparator(),
                "replay: 50 records, 10/s, 25.0%, 0:05 elapsed, ETA 0:15",
                "replay: 100 records, 10/s, 100.0%, 0:10 elapsed", ""), text.toString());
    }

    @Test
    void terminalModeRewritesOneLine() {
        FakeClock clock = new FakeClock();
        StringWriter text = new StringWriter();
        Progress p = new Progress(Progress.Mode.TERMINAL, new PrintWriter(text), clock::nanoTime, "replay", 1000, -1);
        clock.advanceMillis(2_000);
        p.update(1_000, 500, 2);
        String first = "replay: 1,000 records, 500/s, 50.0%, 0:02 elapsed, ETA 0:02, 2 bad rows";
        assertEquals("\r" + first, text.toString());
        clock.advanceMillis(100);
        p.update(1_001, 500, 2);
        assertEquals("\r" + first, text.toString(), "not again within 250 ms");
        p.clear();
        assertEquals("\r" + first + "\r" + " ".repeat(first.length()) + "\r", text.toString(), "erased for a message");
        text.getBuffer().setLength(0);
        clock.advanceMillis(1_900);
        p.finish(2_000, 1000, 2);
        assertEquals("\rreplay: 2,000 records, 500/s, 100.0%, 0:04 elapsed, 2 bad rows" + System.lineSeparator(),
                text.toString());
    }

    @Test
    void terminalModePadsAShorterLine() {
        FakeClock clock = new FakeClock();
        StringWriter text = new StringWriter();
        Progress p = new Progress(Progress.Mode.TERMINAL, new PrintWriter(text), clock::nanoTime, "replay", 0, -1);
        clock.advanceMillis(1_000);
        p.update(1_000, 0, 5);
        String first = text.toString();
        text.getBuffer().setLength(0);
        clock.advanceMillis(1_000);
        p.update(1_000, 0, 5);
        String second = "replay: 1,000 records, 500/s, 0:02 elapsed, 5 bad rows";
        assertEquals("\r" + second + " ".repeat(first.length() - 1 - second.length()), text.toString());
    }

    @Test
    void offPrintsNothing() {
        FakeClock clock = new FakeClock();
        StringWriter text = new StringWriter();
        Progress p = new Progress(Progress.Mode.OFF, new PrintWriter(text), clock::nanoTime, "replay", 10, -1);
        clock.advanceMillis(60_000);
        p.update(1, 1, 1);
        p.clear();
        p.finish(1, 1, 1);
        assertEquals("", text.toString());
    }
}

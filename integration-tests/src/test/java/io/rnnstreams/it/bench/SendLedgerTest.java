package io.rnnstreams.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's latency on hand-made sequences ({@link SendLedger}): each output matched to its reading by key and
 * event time, its latency measured from the reading's due time and from its send time, and the percentiles of those.
 * The clocks are fakes in which System.nanoTime reads the wall clock in ns (origin 0), so that the former measure,
 * receive wall-clock ms - record timestamp, can be computed beside the new one.
 */
class SendLedgerTest {
    private static final long MS = 1_000_000;
    private static final long T0 = 1_000_000;   // the phase's start, wall-clock ms

    /**
     * Two keys at 4,000 readings/s, 2,000 per key, 100 readings: reading i is due at i x 0.25 ms, sent 20 µs later, and
     * its output arrives 1 ms + i x 0.1 ms after it was due. Each key's event times rise 1 ms per reading (the due
     * times 0.5 ms), so they run ahead of the clock: receive ms - timestamp, the former latency, falls to -14 ms and
     * its median is -7 ms, while the latency from the due time is 1.0 .. 10.9 ms as made.
     */
    @Test
    void latencyIsMeasuredFromTheDueTimeWhereEventTimesRunAheadOfTheClock() {
        SendLedger ledger = new SendLedger(new String[] {"a", "b"});
        int n = 100;
        long[] dueNanos = new long[n];
        long[] eventTime = new long[n];
        for (int i = 0; i < n; i++) {
            dueNanos[i] = T0 * MS + i * 250_000L;
            eventTime[i] = ledger.sent(i % 2, dueNanos[i] / MS, dueNanos[i], dueNanos[i] + 20_000);
        }
        // the j-th reading of either key: due at floor(j / 2) ms (a) or floor((2j + 1) / 4) ms (b), stamped T0 + j
        for (int i = 0; i < n; i++) {
            assertEquals(T0 + i / 2, eventTime[i], "reading " + i);
        }
        assertEquals(T0 + 24, dueNanos[n - 1] / MS);
        assertEquals(T0 + 49, ledger.lastEventTime(1));
        assertEquals(T0 + 49, ledger.maxEventTime());
        assertEquals(n, ledger.pending());

        long[] fromDue = new long[n];
        long[] fromSend = new long[n];
        long[] former = new long[n];
        for (int i = 0; i < n; i++) {
            long received = dueNanos[i] + MS + i * 100_000L;
            SendLedger.Latency l = ledger.received(i % 2 == 0 ? "a" : "b", eventTime[i], received);
            fromDue[i] = l.fromDueMicros();
            fromSend[i] = l.fromSendMicros();
            former[i] = received / MS - eventTime[i];
        }
        // nearest rank: p50 = the 50th of 100 (5.9 ms), p99 the 99th (10.8), p99.9 and max the 100th (10.9)
        assertEquals(new Percentiles(n, 5.9, 10.8, 10.9, 10.9), Percentiles.of(fromDue).scaled(0.001));
        assertEquals(new Percentiles(n, 5.88, 10.78, 10.88, 10.88), Percentiles.of(fromSend).scaled(0.001));
        for (int i = 0; i < n; i++) {
            assertEquals(1_000 + 100 * i, fromDue[i], "reading " + i);
            assertEquals(980 + 100 * i, fromSend[i], "reading " + i);
        }
        // the former measure on the same records: floor(1 + 0.35 i) - floor(i / 2), first negative at the 9th reading
        assertEquals(1, former[0]);
        assertEquals(-14, former[n - 1]);
        assertEquals(-7.0, Percentiles.of(former).p50());
        assertEquals(0, ledger.pending());
        assertEquals(0, ledger.missed());
        assertEquals(0, ledger.unmatched());
    }

    /**
     * Keys arrive interleaved unlike their send order (they are on different partitions); a reading whose output
     * never comes (a dead letter) is dropped as missed when its key's next output arrives; a duplicate, an unknown
     * timestamp and an unknown key are unmatched and have no latency; nothing stays pending.
     */
    @Test
    void outputsMatchTheirKeysOldestPendingReadingWithTheirTimestamp() {
        SendLedger ledger = new SendLedger(new String[] {"a", "b"});
        long a1 = ledger.sent(0, T0, T0 * MS, T0 * MS);
        long b1 = ledger.sent(1, T0, T0 * MS, T0 * MS);
        long a2 = ledger.sent(0, T0, T0 * MS + 100_000, T0 * MS + 100_000);
        long b2 = ledger.sent(1, T0 + 1, (T0 + 1) * MS, (T0 + 1) * MS + 500_000);
        long a3 = ledger.sent(0, T0 + 1, (T0 + 1) * MS, (T0 + 1) * MS);
        assertEquals(List.of(T0, T0, T0 + 1, T0 + 1, T0 + 2), List.of(a1, b1, a2, b2, a3));

        // b's outputs first (another partition), each matched to b's own readings
        assertEquals(new SendLedger.Latency(5_000, 5_000), ledger.received("b", b1, (T0 + 5) * MS));
        assertEquals(new SendLedger.Latency(6_000, 5_500), ledger.received("b", b2, (T0 + 7) * MS));
        assertNull(ledger.received("b", b1, (T0 + 8) * MS), "a duplicate of b1: b has nothing pending");
        // a1's output never comes (a dead letter): a2's output drops it as missed and matches a2
        assertEquals(new SendLedger.Latency(8_900, 8_900), ledger.received("a", a2, (T0 + 9) * MS));
        assertEquals(1, ledger.missed());
        assertNull(ledger.received("a", a1, (T0 + 9) * MS), "older than a's oldest pending reading (a3)");
        assertNull(ledger.received("c", T0, (T0 + 9) * MS), "not a key of the ledger");
        assertEquals(1, ledger.pending());
        assertEquals(new SendLedger.Latency(9_000, 9_000), ledger.received("a", a3, (T0 + 10) * MS));
        assertEquals(0, ledger.pending());
        assertEquals(1, ledger.missed());
        assertEquals(3, ledger.unmatched());
    }

    /** A key's ring grows while wrapped (its head moved on) and keeps its readings in send order. */
    @Test
    void aKeysBacklogGrowsWithoutLosingItsOrder() {
        SendLedger ledger = new SendLedger(new String[] {"a"});
        List<Long> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(ledger.sent(0, T0, T0 * MS + i * 1_000L, T0 * MS + i * 1_000L));
        }
        long received = (T0 + 100) * MS;
        for (int i = 0; i < 3; i++) {
            assertEquals(100_000 - i, ledger.received("a", events.get(i), received).fromDueMicros());
        }
        for (int i = 5; i < 40; i++) {   // 37 pending: the ring of 16 doubles twice, the first time wrapped
            events.add(ledger.sent(0, T0, T0 * MS + i * 1_000L, T0 * MS + i * 1_000L));
        }
        assertEquals(37, ledger.pending());
        for (int i = 3; i < 40; i++) {
            assertEquals(100_000 - i, ledger.received("a", events.get(i), received).fromDueMicros(), "reading " + i);
        }
        assertEquals(T0 + 39, events.get(39));
        assertEquals(0, ledger.pending() + ledger.missed() + ledger.unmatched());
    }

    /**
     * A burst's readings are untimed (no entry): while the ledger is not timing their outputs match nothing and count
     * neither as missed nor as unmatched; timed again, the readings after them match as before and a duplicate of a
     * burst's output is unmatched.
     */
    @Test
    void untimedReadingsOutputsAreNeitherMissedNorUnmatched() {
        SendLedger ledger = new SendLedger(new String[] {"a"});
        ledger.timing(false);
        long u1 = ledger.sentUntimed(0, T0);
        long u2 = ledger.sentUntimed(0, T0);
        assertEquals(0, ledger.pending());
        assertNull(ledger.received("a", u1, (T0 + 3) * MS));
        assertNull(ledger.received("a", u2, (T0 + 3) * MS));
        assertEquals(0, ledger.missed() + ledger.unmatched());
        ledger.timing(true);
        long t1 = ledger.sent(0, T0, T0 * MS, T0 * MS + 1_000);
        assertEquals(List.of(T0, T0 + 1, T0 + 2), List.of(u1, u2, t1));
        assertEquals(1, ledger.pending(), "only the timed reading is pending");
        assertEquals(new SendLedger.Latency(4_000, 3_999), ledger.received("a", t1, (T0 + 4) * MS));
        assertNull(ledger.received("a", u2, (T0 + 5) * MS), "a duplicate of a burst's output");
        assertEquals(0, ledger.missed());
        assertEquals(1, ledger.unmatched());
    }
}

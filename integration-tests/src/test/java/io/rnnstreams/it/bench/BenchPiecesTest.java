package io.rnnstreams.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness's pure parts: percentiles, grid parsing, R from the calibrated rate, the bursts' median, the
 * timed warm-up's decision.
 */
class BenchPiecesTest {

    @Test
    void nearestRankPercentiles() {
        long[] sample = new long[1000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = 1000 - i;   // 1000 .. 1, unsorted on purpose
        }
        Percentiles p = Percentiles.of(sample);
        assertEquals(1000, p.count());
        assertEquals(500.0, p.p50());
        assertEquals(990.0, p.p99());
        assertEquals(999.0, p.p999());
        assertEquals(1000.0, p.max());
        assertEquals(7.0, Percentiles.of(new long[] {7}).p999());
        assertTrue(Double.isNaN(Percentiles.of(new long[0]).p50()));
    }

    @Test
    void gridParsing() {
        assertEquals(14, BenchCell.parse("full").size());
        assertEquals(List.of(BenchCell.rnn("shared", BenchCell.ALO, 100, 32), BenchCell.baseline(BenchCell.EOS, 7)),
                BenchCell.parse("rnn/shared/alo/100/32; baseline/eos/7"));
        assertEquals("rnn-key-eos-K10000-H64", BenchCell.rnn("key", BenchCell.EOS, 10_000, 64).label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchCell.parse("rnn/global/eos/100/32"));
        assertTrue(e.getMessage().contains("rnn/global/eos/100/32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchCell.parse("baseline/eos"));
        BenchCell hybrid = BenchCell.parse("rnn/hybrid-shared/eos/100/32").get(0);
        assertTrue(hybrid.hybrid());
        assertEquals("shared", hybrid.modelScope());
        assertEquals("rnn-hybrid-shared-eos-K100-H32", hybrid.label());
        assertEquals("key", BenchCell.parse("rnn/key/eos/100/32").get(0).modelScope());
    }

    @Test
    void readingsFollowTheCalibratedRateWithinBounds() {
        BenchConfig c = new BenchConfig(false, BenchCell.quickGrid(), java.time.Duration.ofSeconds(20), 0, 2_000,
                400_000, 2, 3_000, new double[] {0.25, 0.5, 0.9}, java.time.Duration.ofSeconds(8), 2, true,
                List.of("-Xmx1g"), java.nio.file.Path.of("x"), java.time.Duration.ofMinutes(5), true, java.util.Map.of(), java.time.Duration.ofSeconds(10), 1).validate();
        assertEquals(80_000, c.maxPhaseReadings(4_000));
        assertEquals(2_000, c.maxPhaseReadings(10));
        assertEquals(400_000, c.maxPhaseReadings(1e6));
        assertEquals(20_000, c.warmupReadings(10_000));
        assertEquals(3_000, c.warmupReadings(100));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new BenchConfig(false,
                BenchCell.quickGrid(), java.time.Duration.ofSeconds(20), 0, 2_000, 400_000, 2, 3_000,
                new double[] {0.5}, java.time.Duration.ofSeconds(8), 2, true, List.of(), java.nio.file.Path.of("x"),
                java.time.Duration.ofMinutes(5), true, java.util.Map.of(), java.time.Duration.ofSeconds(-1), 1).validate());
        assertTrue(negative.getMessage().contains("bench.warmupSeconds must be >= 0, got -1.0"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BenchConfig(false, BenchCell.quickGrid(),
                java.time.Duration.ZERO, 0, 2_000, 400_000, 2, 3_000, new double[] {0}, java.time.Duration.ofSeconds(8),
                0, true, List.of(), java.nio.file.Path.of("x"), java.time.Duration.ofMinutes(5), true, java.util.Map.of(), java.time.Duration.ofSeconds(10), 1).validate());
    }

    @Test
    void theMaxPhaseIsBurstsOfEqualLengthForEveryRate() {
        // 20 s in 5 bursts: every cell's bursts last ~4 s at its calibrated rate, up to 2,000,000 readings each
        BenchConfig c = new BenchConfig(false, BenchCell.quickGrid(), java.time.Duration.ofSeconds(20), 0, 2_000,
                2_000_000, 1, 1_000, new double[] {0.5}, java.time.Duration.ofSeconds(3), 2, false, List.of(),
                java.nio.file.Path.of("x"), java.time.Duration.ofMinutes(5), false, java.util.Map.of(),
                java.time.Duration.ofSeconds(10), 5).validate();
        assertEquals(180_000, c.maxPhaseReadings(45_000));      // the default's rate: 4 s
        assertEquals(800_000, c.maxPhaseReadings(200_000));     // the baseline's: 4 s, no longer cut at 400,000
        assertEquals(2_000_000, c.maxPhaseReadings(1e7));
        assertEquals(2_000, c.maxPhaseReadings(100));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new BenchConfig(false,
                BenchCell.quickGrid(), java.time.Duration.ofSeconds(20), 0, 2_000, 2_000_000, 1, 1_000,
                new double[] {0.5}, java.time.Duration.ofSeconds(3), 2, false, List.of(), java.nio.file.Path.of("x"),
                java.time.Duration.ofMinutes(5), false, java.util.Map.of(), java.time.Duration.ZERO, 0).validate());
        assertTrue(none.getMessage().contains("bench.bursts must be >= 1, got 0"), none.getMessage());
    }

    @Test
    void aCellsRateIsTheMedianOfItsBursts() {
        assertEquals(120_000.0, BurstRates.median(List.of(207_000.0, 92_000.0, 120_000.0)));
        assertEquals(110_000.0, BurstRates.median(List.of(130_000.0, 90_000.0, 100_000.0, 120_000.0)));
        assertEquals(45_000.0, BurstRates.median(List.of(45_000.0)));
        assertTrue(Double.isNaN(BurstRates.median(List.of())));
        assertEquals(2.25, BurstRates.spread(List.of(207_000.0, 92_000.0, 120_000.0)), 1e-12);
        assertEquals(1.0, BurstRates.spread(List.of(45_000.0)));
        assertThrows(IllegalArgumentException.class, () -> BurstRates.median(List.of(1.0, Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> BurstRates.spread(List.of(0.0)));
        // the default's bursts 36-52k against the baseline's 92-207k: 0.17x .. 0.57x
        double[] range = BurstRates.ratioRange(List.of(45_000.0, 36_000.0, 52_000.0), List.of(207_000.0, 92_000.0));
        assertEquals(36_000.0 / 207_000.0, range[0], 1e-15);
        assertEquals(52_000.0 / 92_000.0, range[1], 1e-15);
        assertTrue(Double.isNaN(BurstRates.ratioRange(List.of(), List.of(1.0))[0]));
        CellResult hybrid = result(BenchCell.rnn("shared", BenchCell.EOS, 100, 32), List.of(40_000.0, 50_000.0));
        CellResult baseline = result(BenchCell.baseline(BenchCell.EOS, 100), List.of(100_000.0, 125_000.0));
        assertEquals(" [0.32x .. 0.50x]", BenchReport.ratioRange(hybrid, baseline));
        assertEquals("", BenchReport.ratioRange(hybrid, result(BenchCell.baseline(BenchCell.EOS, 100), List.of())));
    }

    @Test
    void aCellWhoseBurstsStillRiseIsMarkedClimbing() {
        // the baseline after a 20 s warm-up (2026-12-07, run15 round 3): still warming
        List<Double> warming = List.of(259_976.0, 305_021.0, 327_155.0, 363_268.0, 377_230.0);
        assertEquals((363_268.0 + 377_230.0) / (259_976.0 + 305_021.0), BurstRates.trend(warming), 1e-12);
        assertTrue(BurstRates.climbing(warming));
        assertEquals("1.45x, *climbing* 1.31x", BenchReport.bursts(warming));
        // the same baseline after 60 s: steady, though its bursts spread 1.17x
        List<Double> steady = List.of(367_290.0, 393_260.0, 385_561.0, 402_140.0, 387_614.0, 414_280.0, 352_815.0,
                383_881.0);
        assertEquals(0.99, BurstRates.trend(steady), 0.005);
        assertFalse(BurstRates.climbing(steady));
        assertEquals("1.17x", BenchReport.bursts(steady));
        // falling is not climbing; one burst has no trend to speak of; none has none
        assertFalse(BurstRates.climbing(List.of(377_230.0, 259_976.0)));
        assertEquals(1.0, BurstRates.trend(List.of(45_000.0)));
        assertTrue(Double.isNaN(BurstRates.trend(List.of())));
        assertEquals("", BenchReport.bursts(List.of()));
        assertThrows(IllegalArgumentException.class, () -> BurstRates.trend(List.of(1.0, -2.0)));
    }

    @Test
    void theLoadsReportBothLatenciesInMs() {
        CellResult.LoadResult load = new CellResult.LoadResult(0.9, 180_000, 1_080_000, 179_000,
                Percentiles.of(new long[] {120_500, 110_000, 300_250}).scaled(0.001),
                Percentiles.of(new long[] {100_000, 115_000, 290_000}).scaled(0.001));
        CellResult r = new CellResult(BenchCell.baseline(BenchCell.EOS, 100), null, 0, 0, 0, 200_000,
                List.of(200_000.0), List.of(load), 0, java.util.Map.of(), 0, 0, java.util.Map.of(), 0, 0, 0, 0, 0, 0, 0);
        assertEquals("cell,fraction,offered_per_s,sent,achieved_per_s,latency_count,p50_ms,p99_ms,p999_ms,max_ms,"
                + "send_p50_ms,send_p99_ms,send_p999_ms,send_max_ms\n"
                + "baseline-eos-K100,0.900,180000.000,1080000,179000.000,3,120.500,300.250,300.250,300.250,"
                + "115.000,290.000,290.000,290.000\n", BenchReport.loadsCsv(List.of(r)));
        BenchConfig c = new BenchConfig(false, List.of(r.cell()), java.time.Duration.ofSeconds(20), 0, 2_000, 400_000,
                2, 3_000, new double[] {0.9}, java.time.Duration.ofSeconds(8), 2, true, List.of("-Xmx1g"),
                java.nio.file.Path.of("x"), java.time.Duration.ofMinutes(5), true, java.util.Map.of(),
                java.time.Duration.ofSeconds(10), 1).validate();
        String md = BenchReport.markdown(List.of(r), c, "machine", 1);
        assertTrue(md.contains(" p50 / p99 / p99.9 ms at 90% | p99 from send ms at each load | p99 x baseline at the "
                + "highest load |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"), md);
        assertTrue(md.contains(" | 121 / 300 / 300 | 290 |  |\n"), md);
    }

    private static CellResult result(BenchCell cell, List<Double> bursts) {
        return new CellResult(cell, null, 0, 0, 0, BurstRates.median(bursts), bursts, List.of(), 0, java.util.Map.of(),
                0, 0, java.util.Map.of(), 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The timed warm-up ({@code bench.warmupSeconds}, which {@code BenchHarnessIT} runs at 0) on a fake clock whose
     * bursts take {@code chunk / rate} seconds: 10 s, the first 2,000 readings took 2 s at 1,000/s, then the bursts
     * run at 4,000/s, 20,000/s and 50,000/s after that (the JIT compiling). Each chunk is the last one's rate (1,000,
     * 4,000, 20,000, then 50,000), the clock reads 2.25, 2.45, 2.85, 3.85 .. 9.85 s before the chunks after them, and
     * the last one starts at 9.85 s (below 10 s, from the warm-up's start) and ends at 10.85 s.
     */
    @Test
    void theTimedWarmUpSendsChunksAtTheLastRateUntilTheTimeHasPassedSinceItBegan() throws Exception {
        long[] now = {2_000};
        double[] rates = {4_000, 20_000};
        List<Integer> chunks = new java.util.ArrayList<>();
        WarmUp.Burst fake = n -> {
            double rate = chunks.size() < rates.length ? rates[chunks.size()] : 50_000;
            chunks.add(n);
            now[0] += Math.round(1000.0 * n / rate);
            return rate;
        };
        WarmUp.Done done = WarmUp.extend(2_000, 1_000, 0, java.time.Duration.ofSeconds(10), () -> now[0], fake);
        assertEquals(List.of(1_000, 4_000, 20_000, 50_000, 50_000, 50_000, 50_000, 50_000, 50_000, 50_000, 50_000),
                chunks);
        assertEquals(10_850, now[0]);
        assertEquals(new WarmUp.Done(2_000 + 25_000 + 8 * 50_000, 50_000), done);

        // bench.warmupSeconds 0 (the harness IT's), or the first readings already took the time: no chunk at all
        chunks.clear();
        now[0] = 2_000;
        assertEquals(new WarmUp.Done(2_000, 1_000), WarmUp.extend(2_000, 1_000, 0, java.time.Duration.ZERO,
                () -> now[0], fake));
        now[0] = 10_000;
        assertEquals(new WarmUp.Done(2_000, 1_000), WarmUp.extend(2_000, 1_000, 0, java.time.Duration.ofSeconds(10),
                () -> now[0], fake));
        assertEquals(List.of(), chunks);
        // counted from the warm-up's start, not from the end of its first readings: at 9.999 s, one chunk
        now[0] = 9_999;
        assertEquals(new WarmUp.Done(3_000, 4_000), WarmUp.extend(2_000, 1_000, 0, java.time.Duration.ofSeconds(10),
                () -> now[0], fake));
        // the chunks' bounds: 1,000 .. 100,000 readings
        assertEquals(1_000, WarmUp.chunk(10));
        assertEquals(45_000, WarmUp.chunk(45_000.7));
        assertEquals(100_000, WarmUp.chunk(1e6));
    }

    @Test
    void streamsSettingsAreKeyValuePairsForBothApplications() {
        assertEquals(java.util.Map.of("commit.interval.ms", "1000", "linger.ms", "5"),
                BenchConfig.settings(" commit.interval.ms=1000; linger.ms = 5 ;"));
        assertEquals(java.util.Map.of(), BenchConfig.settings(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchConfig.settings("commit.interval.ms"));
        assertEquals("bench.streams: entries are key=value, separated by ';', not 'commit.interval.ms'", e.getMessage());
    }
}

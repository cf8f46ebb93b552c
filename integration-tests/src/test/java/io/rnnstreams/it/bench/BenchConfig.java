package io.rnnstreams.it.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes of the end-to-end benchmark, read once from system properties ({@code -Dbench.x=...} on the Maven
 * command line reaches the test JVM). {@code bench.quick=true} changes the defaults to a smoke-sized run;
 * every value can still be set explicitly. Immutable; {@link #validate()} reports every bad value at once.
 *
 * <table>
 *   <caption>properties</caption>
 *   <tr><td>bench.quick</td><td>false</td><td>smaller defaults (quick grid, shorter phases)</td></tr>
 *   <tr><td>bench.grid</td><td>full | quick | cells</td><td>see {@link BenchCell}</td></tr>
 *   <tr><td>bench.maxSeconds</td><td>15 (quick 6)</td><td>target length of the max-throughput phase, all its bursts
 *       together: R = calibrated rate x this / bench.bursts readings per burst</td></tr>
 *   <tr><td>bench.bursts</td><td>5 (quick 3)</td><td>the max-throughput phase is this many bursts of R readings, one
 *       after another in the same JVM; the cell's max readings/s is the median of the bursts' rates. Every cell's
 *       bursts last about the same time (maxSeconds / bursts, whatever its rate), so the fixed cost at the end of a
 *       burst (the last commit's wait) weighs the same in every cell, and one slow or fast burst (a GC, a log roll)
 *       does not decide the cell: with one burst capped at 400,000 readings the pass-through baseline's phase lasted
 *       2-4 s and its rate moved 2x between rounds (docs/performance.md). 1 = the single burst of before</td></tr>
 *   <tr><td>bench.readings</td><td>0</td><td>fixed R per burst of the max-throughput phase (0 = calibrate)</td></tr>
 *   <tr><td>bench.minReadings / bench.maxReadings</td><td>2,000 / 2,000,000</td><td>bounds of the calibrated R
 *       (per burst; the upper one was 400,000, which cut the baseline's phase short of bench.maxSeconds)</td></tr>
 *   <tr><td>bench.warmupPerKey / bench.warmupMin</td><td>1 / 2,000 (quick 1,000)</td><td>warm-up readings: max(K x perKey, min)</td></tr>
 *   <tr><td>bench.warmupSeconds</td><td>60</td><td>then more warm-up readings, as fast as possible, until this long after the
 *       warm-up began (0: none), so that every phase after it measures a steady rate: with the readings' count alone a
 *       fresh application JVM's JIT compiler still took 17-24 % of the machine during the max-throughput phase
 *       (docs/performance.md, "The ratio on this machine"); after 20 s the pass-through baseline's bursts still rose
 *       260k -> 377k readings/s, after 60 s they stayed within 353-414k (the report marks a cell whose bursts still
 *       climb: {@link BurstRates#CLIMBING})</td></tr>
 *   <tr><td>bench.loads</td><td>0.25,0.5,0.9</td><td>offered loads as fractions of the measured maximum</td></tr>
 *   <tr><td>bench.loadSeconds</td><td>6 (quick 3)</td><td>length of each fixed-rate phase</td></tr>
 *   <tr><td>bench.partitions</td><td>2</td><td>partitions of the input and predictions topics</td></tr>
 *   <tr><td>bench.restore</td><td>true</td><td>measure the restore of rnn-streams cells on an empty state directory</td></tr>
 *   <tr><td>bench.processorJvmOptions</td><td>-Xmx1g</td><td>JVM options of the processor and baseline JVMs (space-separated)</td></tr>
 *   <tr><td>bench.out</td><td>target/bench</td><td>where bench.md, the CSVs and bench.png go</td></tr>
 *   <tr><td>bench.warmupCell</td><td>true</td><td>first run a short, unreported baseline cell: a freshly started broker
 *       (its JIT, page cache, transaction coordinator) made whichever cell came first several times slower</td></tr>
 *   <tr><td>bench.timeoutSeconds</td><td>300</td><td>longest wait for one phase's predictions before the cell is reported as failed</td></tr>
 *   <tr><td>bench.streams</td><td>(none)</td><td>Kafka Streams settings given to both applications, the processor and the
 *       baseline alike ({@code key=value;key=value}, e.g. {@code commit.interval.ms=1000}): a setting is compared
 *       under the same value on both sides</td></tr>
 * </table>
 */
record BenchConfig(boolean quick, List<BenchCell> grid, Duration maxPhase, int fixedReadings, int minReadings,
                   int maxReadings, int warmupPerKey, int warmupMin, double[] loads, Duration loadPhase,
                   int partitions, boolean restore, List<String> processorJvmOptions, Path out, Duration timeout,
                   boolean warmupCell, Map<String, String> streamsSettings, Duration warmupTime, int bursts) {

    static BenchConfig fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(System.getProperty("bench.quick", "false"));
        return new BenchConfig(quick,
                BenchCell.parse(System.getProperty("bench.grid", quick ? "quick" : "full")),
                Duration.ofMillis(Math.round(1000 * dbl("bench.maxSeconds", quick ? 6 : 15))),
                Integer.getInteger("bench.readings", 0),
                Integer.getInteger("bench.minReadings", 2_000),
                Integer.getInteger("bench.maxReadings", 2_000_000),
                Integer.getInteger("bench.warmupPerKey", 1),
                Integer.getInteger("bench.warmupMin", quick ? 1_000 : 2_000),
                Arrays.stream(System.getProperty("bench.loads", "0.25,0.5,0.9").split(","))
                        .map(String::trim).mapToDouble(Double::parseDouble).toArray(),
                Duration.ofMillis(Math.round(1000 * dbl("bench.loadSeconds", quick ? 3 : 6))),
                Integer.getInteger("bench.partitions", 2),
                Boolean.parseBoolean(System.getProperty("bench.restore", "true")),
                List.of(System.getProperty("bench.processorJvmOptions", "-Xmx1g").trim().split("\\s+")),
                Path.of(System.getProperty("bench.out", "target/bench")),
                Duration.ofSeconds(Long.getLong("bench.timeoutSeconds", 300)),
                Boolean.parseBoolean(System.getProperty("bench.warmupCell", "true")),
                settings(System.getProperty("bench.streams", "")),
                Duration.ofMillis(Math.round(1000 * dbl("bench.warmupSeconds", 60))),
                Integer.getInteger("bench.bursts", quick ? 3 : 5)).validate();
    }

    /** {@code key=value;key=value} as an ordered map; blank entries skipped. */
    static Map<String, String> settings(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bench.streams: entries are key=value, separated by ';', not '"
                        + entry.trim() + "'");
            }
            settings.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return Map.copyOf(settings);
    }

    private static double dbl(String name, double dflt) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? dflt : Double.parseDouble(v.trim());
    }

    BenchConfig validate() {
        List<String> problems = new ArrayList<>();
        if (maxPhase.isNegative() || maxPhase.isZero()) {
            problems.add("bench.maxSeconds must be > 0");
        }
        if (fixedReadings < 0) {
            problems.add("bench.readings must be >= 0 (0 = calibrate)");
        }
        if (minReadings < 1 || maxReadings < minReadings) {
            problems.add("need 1 <= bench.minReadings <= bench.maxReadings");
        }
        if (warmupPerKey < 1 || warmupMin < 1) {
            problems.add("bench.warmupPerKey and bench.warmupMin must be >= 1");
        }
        if (warmupTime.isNegative()) {
            problems.add("bench.warmupSeconds must be >= 0, got " + warmupTime.toMillis() / 1000.0);
        }
        for (double f : loads) {
            if (!(f > 0 && f <= 2)) {
                problems.add("bench.loads: every fraction must be in (0, 2], not " + f);
            }
        }
        if (loadPhase.isNegative() || loadPhase.isZero()) {
            problems.add("bench.loadSeconds must be > 0");
        }
        if (bursts < 1) {
            problems.add("bench.bursts must be >= 1, got " + bursts);
        }
        if (partitions < 1) {
            problems.add("bench.partitions must be >= 1");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid benchmark configuration: " + String.join("; ", problems));
        }
        return this;
    }

    int warmupReadings(int keys) {
        return Math.max(keys * warmupPerKey, warmupMin);
    }

    /**
     * R, the readings of each burst of the max-throughput phase: fixed, or the calibrated rate times the phase's
     * length divided by the bursts, within bounds.
     */
    int maxPhaseReadings(double calibratedRate) {
        if (fixedReadings > 0) {
            return fixedReadings;
        }
        long r = Math.round(calibratedRate * maxPhase.toMillis() / 1000.0 / bursts);
        return (int) Math.max(minReadings, Math.min(maxReadings, r));
    }
}

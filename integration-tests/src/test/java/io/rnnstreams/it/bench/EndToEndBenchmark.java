package io.rnnstreams.it.bench;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.WithKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end benchmark (issue 6): every cell of {@code bench.grid} through a real broker, each application
 * as its own JVM, results in {@code target/bench/} ({@link BenchReport}). Not part of {@code mvn verify} (its
 * name matches no failsafe pattern); run it with
 * {@code mvn -B -pl integration-tests -am -Pbench verify} or {@code deploy/local/bench.sh}. It measures and
 * reports; it asserts nothing about speed. {@link BenchHarnessIT} checks the harness's counting in verify.
 *
 * <p>Why separate JVMs for the processor and the baseline: the harness's producer and consumer, their
 * garbage and JIT compilation, would otherwise share a heap and safepoints with the application being
 * measured; a JVM of its own is also how the application runs in production, and its restore can be timed
 * from launch on an empty state directory.
 */
@WithKafkaBroker
class EndToEndBenchmark {

    @Test
    void run(KafkaBroker broker) throws Exception {
        BenchConfig config = BenchConfig.fromSystemProperties();
        List<CellResult> results = runGrid(broker, config);
        System.out.println(Files.readString(config.out().resolve(BenchReport.MARKDOWN)));
        System.out.println("bench: results in " + config.out().toAbsolutePath());
        long failed = results.stream().filter(r -> !r.ok()).count();
        if (failed > 0) {
            System.out.println("bench: " + failed + " cell(s) failed; see the report");
        }
    }

    /** Runs every cell in order, writing the report after each one (a cut-off run still leaves one). */
    static List<CellResult> runGrid(KafkaBroker broker, BenchConfig config) throws Exception {
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        CellRunner runner = new CellRunner(broker, config);
        if (config.warmupCell()) {
            BenchConfig warm = new BenchConfig(config.quick(), config.grid(), java.time.Duration.ofSeconds(5), 0,
                    config.minReadings(), config.maxReadings(), 1, 2_000, new double[] {0.5},
                    java.time.Duration.ofSeconds(3), config.partitions(), false, config.processorJvmOptions(),
                    config.out(), config.timeout(), false, config.streamsSettings(), java.time.Duration.ZERO, 1);
            System.out.println("bench: broker warm-up cell (not reported)");
            CellResult w = new CellRunner(broker, warm).run(BenchCell.baseline(BenchCell.EOS, 100), 0);
            System.out.printf("bench: warm-up cell %s: %.0f readings/s%n", w.ok() ? "done" : "FAILED", w.maxRate());
        }
        List<CellResult> results = new ArrayList<>();
        int index = 0;
        for (BenchCell cell : config.grid()) {
            index++;
            System.out.printf("bench: cell %d of %d: %s (%.0f s so far)%n", index, config.grid().size(), cell.label(),
                    (System.nanoTime() - t0) / 1e9);
            results.add(runner.run(cell, index));
            BenchReport.write(config.out(), results, config, machine(loadBefore), (System.nanoTime() - t0) / 1e9);
        }
        return results;
    }

    /** CPU model, cores, memory, JDK and load averages, for the report. */
    static String machine(String loadBefore) {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (Exception ignored) {
            // not Linux
        }
        return String.format(Locale.ROOT, "Machine: %s, %d cores, %.0f GiB memory, JDK %s; load average (1, 5, 15 min) "
                        + "%s at the start, %s at the end.", cpu, Runtime.getRuntime().availableProcessors(),
                totalMemoryGib(), System.getProperty("java.version"), loadBefore, loadAverage());
    }

    private static double totalMemoryGib() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / (1024 * 1024)).orElse(0.0);
        } catch (Exception e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}

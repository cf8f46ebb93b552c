package io.rnnstreams.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler ({@code -prof io.rnnstreams.bench.CpuTimeProfiler}) for shared, busy build machines:
 * next to JMH's wall-clock score it reports, per iteration,
 * <ul>
 *   <li>{@code ·cpu.time}: CPU time of the whole forked JVM per operation, in the benchmark's time unit.
 *       Time the benchmark thread spends descheduled while other processes run is not in it, so on a
 *       loaded machine it stays close to the uncontended cost (it still includes JIT and GC threads, and
 *       cannot remove cache interference from the other core);</li>
 *   <li>{@code ·cpu.share}: that CPU time over the iteration's wall time. About 1.0 for these
 *       single-threaded benchmarks on an idle machine (slightly more with GC or JIT work); well below 1.0
 *       means the benchmark thread was waiting for a core and the wall-clock score is inflated.</li>
 * </ul>
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "process CPU time per operation, and CPU time / wall time per iteration";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        wallStart = System.nanoTime();
        cpuStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        long ops = Math.max(1L, result.getMetadata().getMeasuredOps());
        TimeUnit unit = benchmarkParams.getTimeUnit();
        double perOp = (double) cpu / ops / unit.toNanos(1);
        String unitLabel = unitLabel(unit) + "/op";
        return List.of(
                new ScalarResult("cpu.time", perOp, unitLabel, AggregationPolicy.AVG),
                new ScalarResult("cpu.share", (double) cpu / Math.max(1L, wall), "ratio", AggregationPolicy.AVG));
    }

    private static String unitLabel(TimeUnit unit) {
        switch (unit) {
            case NANOSECONDS:
                return "ns";
            case MICROSECONDS:
                return "us";
            case MILLISECONDS:
                return "ms";
            case SECONDS:
                return "s";
            default:
                return unit.name().toLowerCase();
        }
    }
}

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One {@code HybridBenchmark} method of two source trees (two commits) timed in one JVM, for an A/B that the
 * machine's load cannot bias: each tree's classes (benchmarks, processor, engine, schemas, each module's
 * {@code target/classes}) and Avro (which looks generated classes up by name) in a class loader of their own over
 * the other dependencies; each tree's benchmark set up as JMH sets it up ({@code keys} 100, {@code modelSave}
 * commit, {@code corrector} as given); a warm-up; then {@code chunks} chunks of {@code readings} calls per tree,
 * alternately (which tree goes first swapped every chunk), the thread's CPU time per call per chunk. Prints each
 * tree's median and quartiles and the median and quartiles of the ratio B / A of the chunks run side by side.
 * Run by {@code deploy/local/paired.sh}; knows nothing of the project but the benchmarks' fields.
 *
 * <p>Arguments: tree A, tree B, method ({@code heldAtCommit}, {@code observe}, ..., or {@code Class#method} for another
 * benchmark class with the same fields and a {@code setup()}: {@code io.rnnstreams.stream.ProcessorBenchmark#process},
 * branch {@code tput18m}), corrector ({@code H/k1/k2}),
 * chunks, readings per chunk. System property {@code paired.isolated}: the jars to load per tree (Avro's).
 */
public class PairedTrees {
    private static Object[] load(String tree, String method, String corrector) throws Exception {
        String[] isolated = System.getProperty("paired.isolated", "").split(":");
        String[] modules = {"benchmarks", "processor", "engine", "schemas"};
        URL[] urls = new URL[modules.length + isolated.length];
        for (int i = 0; i < modules.length; i++) {
            urls[i] = Path.of(tree, modules[i], "target", "classes").toUri().toURL();
        }
        for (int i = 0; i < isolated.length; i++) {
            urls[modules.length + i] = Path.of(isolated[i]).toUri().toURL();
        }
        ClassLoader loader = new URLClassLoader(urls, PairedTrees.class.getClassLoader());
        // "Class#method" names another benchmark with the same fields (keys, modelSave, corrector) and a setup()
        String name = method.contains("#") ? method.substring(0, method.indexOf('#'))
                : "io.rnnstreams.bench.HybridBenchmark";
        Class<?> c = loader.loadClass(name);
        Object benchmark = c.getDeclaredConstructor().newInstance();
        c.getField("keys").setInt(benchmark, 100);
        c.getField("modelSave").set(benchmark, "commit");
        c.getField("corrector").set(benchmark, corrector);
        c.getMethod("setup").invoke(benchmark);
        return new Object[] {benchmark, c.getMethod(method.substring(method.indexOf('#') + 1))};
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: PairedTrees TREE_A TREE_B METHOD H/k1/k2 CHUNKS READINGS");
        }
        String method = args[2];
        String corrector = args[3];
        int chunks = Integer.parseInt(args[4]);
        int readings = Integer.parseInt(args[5]);
        Object[][] trees = {load(args[0], method, corrector), load(args[1], method, corrector)};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int warm = 0; warm < 20; warm++) {
            for (Object[] tree : trees) {
                for (int i = 0; i < readings; i++) {
                    sink += ((Number) ((Method) tree[1]).invoke(tree[0])).longValue();
                }
            }
        }
        double[][] micros = new double[2][chunks];
        for (int k = 0; k < chunks; k++) {
            for (int turn = 0; turn < 2; turn++) {
                int side = k % 2 == 0 ? turn : 1 - turn;
                Object benchmark = trees[side][0];
                Method m = (Method) trees[side][1];
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < readings; i++) {
                    sink += ((Number) m.invoke(benchmark)).longValue();
                }
                micros[side][k] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / readings;
            }
        }
        double[] ratio = new double[chunks];
        for (int k = 0; k < chunks; k++) {
            ratio[k] = micros[1][k] / micros[0][k];
        }
        double[] a = micros[0].clone();
        double[] b = micros[1].clone();
        Arrays.sort(a);
        Arrays.sort(b);
        Arrays.sort(ratio);
        System.out.printf("%s, corrector %s, %d chunks of %d calls per tree, CPU us per call:%n", method, corrector,
                chunks, readings);
        System.out.printf("  A %s: median %.3f (quartiles %.3f-%.3f)%n", args[0], quantile(a, 0.5),
                quantile(a, 0.25), quantile(a, 0.75));
        System.out.printf("  B %s: median %.3f (quartiles %.3f-%.3f)%n", args[1], quantile(b, 0.5),
                quantile(b, 0.25), quantile(b, 0.75));
        System.out.printf("  B / A, chunk by chunk: median %.3f (quartiles %.3f-%.3f)%s%n", quantile(ratio, 0.5),
                quantile(ratio, 0.25), quantile(ratio, 0.75), sink == 42 ? " " : "");
    }
}

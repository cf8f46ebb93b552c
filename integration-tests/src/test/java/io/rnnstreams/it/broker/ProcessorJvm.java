package io.rnnstreams.it.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The application ({@code rnn-streams.jar run --set key=value ...}) as a separate JVM, started directly
 * (no shell in between) so that {@link #kill()} sends SIGKILL to the java process itself. Its standard
 * output and error go to {@code <name>.out} and {@code <name>.err} in the given directory; standard input
 * is closed. A JVM shutdown hook kills every processor JVM still alive, so a test run that dies does not
 * leave one behind (except when the test JVM itself is SIGKILLed).
 */
public final class ProcessorJvm implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "processor-jvm-reaper"));
    }

    private final Process process;
    private final Path out;
    private final Path err;
    private final long startedNanos = System.nanoTime();

    private ProcessorJvm(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * The application jar: system property {@code rnnstreams.processor.jar} if set, else
     * {@code ../processor/target/rnn-streams.jar} next to this module (from {@code rnnstreams.broker.workDir}
     * = this module's target directory, or from the working directory). Fails with a clear message if absent.
     */
    public static Path locateJar() {
        List<Path> candidates = new ArrayList<>();
        String explicit = System.getProperty("rnnstreams.processor.jar");
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(Path.of(explicit));
        } else {
            String workDir = System.getProperty("rnnstreams.broker.workDir");
            if (workDir != null) {
                candidates.add(Path.of(workDir).toAbsolutePath().getParent().resolveSibling("processor")
                        .resolve("target").resolve("rnn-streams.jar"));
            }
            candidates.add(Path.of("").toAbsolutePath().resolveSibling("processor").resolve("target")
                    .resolve("rnn-streams.jar"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.normalize();
            }
        }
        throw new IllegalStateException("the application jar rnn-streams.jar was not found (looked at " + candidates
                + "); build it first: mvn -B -q -DskipTests -pl processor -am package "
                + "(or pass -Drnnstreams.processor.jar=PATH)");
    }

    /** Starts {@code java -Xmx512m -jar JAR run --set k=v ...}; output to {@code logDir/name.out|.err}. */
    public static ProcessorJvm start(Path jar, Map<String, String> settings, Path logDir, String name) {
        return start(jar, settings, logDir, name, List.of("-Xmx512m"));
    }

    /** As {@link #start(Path, Map, Path, String)} with the given JVM options instead of {@code -Xmx512m}. */
    public static ProcessorJvm start(Path jar, Map<String, String> settings, Path logDir, String name, List<String> jvmOptions) {
        List<String> args = new ArrayList<>();
        args.add("-jar");
        args.add(jar.toString());
        args.add("run");
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        return launch(jvmOptions, args, logDir, name);
    }

    /**
     * Starts {@code java OPTIONS -cp CLASSPATH MAIN ARGS...} (e.g. a benchmark's baseline application), with the
     * same output files, environment and reaper as the application jar.
     */
    public static ProcessorJvm startMain(List<Path> classpath, String mainClass, List<String> jvmOptions, List<String> mainArgs,
                                  Path logDir, String name) {
        List<String> args = new ArrayList<>();
        args.add("-cp");
        args.add(classpath.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
        args.add(mainClass);
        args.addAll(mainArgs);
        return launch(jvmOptions, args, logDir, name);
    }

    private static ProcessorJvm launch(List<String> jvmOptions, List<String> args, Path logDir, String name) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(args);
        try {
            Files.createDirectories(logDir);
            Path out = logDir.resolve(name + ".out");
            Path err = logDir.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(cmd);
            // Kafka's own INFO lines (rebalances, transactions, restoration) make a failure diagnosable
            builder.environment().put("KAFKA_LOG_LEVEL", System.getProperty("crash.kafkaLogLevel", "INFO"));
            Process p = builder.redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            LIVE.add(p);
            String command = p.info().command().orElse("?");
            if (!command.equals("?") && !Path.of(command).getFileName().toString().equals("java")) {
                p.destroyForcibly();
                throw new IllegalStateException("pid " + p.pid() + " runs " + command + ", not java");
            }
            return new ProcessorJvm(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + cmd, e);
        }
    }

    /**
     * Starts {@code java -Xmx512m -jar JAR ARGS...} (any command, e.g. {@code run --config FILE} or
     * {@code settings}) with {@code environment} added to this JVM's environment; output to
     * {@code logDir/name.out|.err}.
     */
    public static ProcessorJvm startCommand(Path jar, List<String> args, Map<String, String> environment, Path logDir,
                                     String name) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()));
        cmd.addAll(args);
        try {
            Files.createDirectories(logDir);
            Path out = logDir.resolve(name + ".out");
            Path err = logDir.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(cmd);
            builder.environment().put("KAFKA_LOG_LEVEL", System.getProperty("crash.kafkaLogLevel", "INFO"));
            builder.environment().putAll(environment);
            Process p = builder.redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            LIVE.add(p);
            return new ProcessorJvm(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + cmd, e);
        }
    }

    /** Waits up to {@code seconds} for the JVM to exit; true if it has. */
    public boolean awaitExit(long seconds) throws InterruptedException {
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        if (exited) {
            LIVE.remove(process);
        }
        return exited;
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** SIGKILL (Process.destroyForcibly on the java process itself), then waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("processor JVM " + process.pid() + " still alive 30 s after SIGKILL");
        }
        LIVE.remove(process);
    }

    /**
     * SIGTERM (Process.destroy on the java process itself): the application's shutdown hook closes Kafka
     * Streams (committing what it processed); waits up to {@code timeout} for the exit.
     *
     * @return the exit code
     * @throws IllegalStateException if it is still alive after {@code timeout} (it is then SIGKILLed)
     */
    public int terminate(java.time.Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("processor JVM " + process.pid() + " still alive " + timeout
                    + " after SIGTERM; killed it");
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** What the JVM wrote to standard output so far (the application logs there), one element per line. */
    public List<String> outputLines() {
        try {
            return Files.readAllLines(out, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            try {
                return List.of(new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.UTF_8)
                        .split("\n"));
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file that the JVM's standard output goes to. */
    public Path stdout() {
        return out;
    }

    /**
     * The JVM's resident set size in KiB: {@code VmRSS} of {@code /proc/<pid>/status} (Linux only).
     *
     * @throws IllegalStateException if the process is gone or the line is missing
     */
    public long residentKib() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + status + " (is the processor JVM " + process.pid()
                    + " alive? this needs Linux)", e);
        }
        throw new IllegalStateException("no VmRSS line in " + status);
    }

    /**
     * A thread dump of the JVM ({@code jcmd <pid> Thread.print} of this JDK), written to {@code <name>-threads-<n>.txt}
     * beside its standard output; returns that file, or a line saying why there is none.
     */
    public String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path file = null;
        try {
            for (int n = 1; file == null || Files.exists(file); n++) {
                String name = out.getFileName().toString().replaceFirst("\\.out$", "");
                file = out.resolveSibling(name + "-threads-" + n + ".txt");
            }
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(no thread dump: jcmd took over 30 s; partial output in " + file + ")";
            }
            return file.toString();
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    public String logs() {
        return out + " and " + err;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        LIVE.remove(process);
    }
}

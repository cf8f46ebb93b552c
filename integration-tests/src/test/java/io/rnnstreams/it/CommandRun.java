package io.rnnstreams.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One external command run to its end from the repository root: its exit code and its output lines (stdout and
 * stderr merged), each line also printed as it comes with a prefix, so that a long script shows its progress in
 * the Maven log. A command still running at its timeout is killed (with its children) and reported as exit -1.
 *
 * @param exitCode the command's exit code; -1 when it was killed at the timeout
 * @param lines    everything it printed, in order
 * @param seconds  how long it ran
 */
record CommandRun(int exitCode, List<String> lines, long seconds) {

    /** The repository root: {@code rnnstreams.repo.root} (set by the integration-tests POM), else {@code ..}. */
    static Path repoRoot() {
        return Path.of(System.getProperty("rnnstreams.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** Runs {@code command} in {@link #repoRoot()}, printing each line after {@code prefix}; waits at most {@code timeout}. */
    static CommandRun run(List<String> command, String prefix, Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(repoRoot().toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    System.out.println(prefix + line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                System.out.println(prefix + "(output no longer readable: " + e + ")");
            }
        }, "command-output");
        reader.setDaemon(true);
        reader.start();
        boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        synchronized (lines) {
            return new CommandRun(ended ? process.exitValue() : -1, List.copyOf(lines), seconds);
        }
    }

    /** The text of the first line starting with {@code start}, without it, or null. */
    String lineAfter(String start) {
        return lines.stream().filter(l -> l.startsWith(start)).map(l -> l.substring(start.length())).findFirst().orElse(null);
    }

    /** The last {@code count} lines, for failure messages. */
    String tail(int count) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}

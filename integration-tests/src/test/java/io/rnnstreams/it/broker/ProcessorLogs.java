package io.rnnstreams.it.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what a {@link ProcessorJvm} wrote to its log files. */
public final class ProcessorLogs {
    /** StreamsApp logs every state change as "Kafka Streams state BEFORE -> NOW". */
    private static final Pattern STATE = Pattern.compile("Kafka Streams state (\\w+) -> (\\w+)");

    private ProcessorLogs() {
    }

    /** The Kafka Streams state of the last state change logged in {@code log}, or null when none is. */
    public static String lastStreamsState(Path log) {
        String state = null;
        for (String line : lines(log)) {
            Matcher m = STATE.matcher(line);
            if (m.find()) {
                state = m.group(2);
            }
        }
        return state;
    }

    /**
     * Waits up to {@code timeout} for the last state change logged in {@code log} to be {@code state}; returns
     * the last state logged then (so a caller's assertEquals shows what it was instead).
     */
    public static String awaitStreamsState(Path log, String state, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = lastStreamsState(log);
        while (!state.equals(last) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = lastStreamsState(log);
        }
        return last;
    }

    /** The whole file as text (UTF-8, malformed bytes replaced); empty when it does not exist. */
    public static String text(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path log) {
        return text(log).lines().toList();
    }
}

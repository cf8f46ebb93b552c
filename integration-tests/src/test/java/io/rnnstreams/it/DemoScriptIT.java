package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code deploy/local/demo.sh}, run as a user runs it with its output redirected to a
 * file ({@code demo.sh > log 2>&1}, issue 12 item 14: a {@code tee /dev/stderr} once rewrote such a log from its
 * start), at a small size: 4 sensors x 600 readings through a local broker it starts and stops itself. Asserts the
 * log is whole and in order (its first line is the script's first), the three steps, the summary table with the
 * AR baseline, every injected anomaly accounted for, and the plots it names exist as PNG files.
 */
class DemoScriptIT {
    @TempDir
    Path tmp;

    @Test
    void theDemoRunsEndToEndWithItsOutputRedirectedToAFile() throws Exception {
        Path log = tmp.resolve("demo.log");
        CommandRun run = CommandRun.run(List.of("bash", "-c", "deploy/local/demo.sh --sensors 4 --readings 600 > '"
                + log + "' 2>&1"), "  demo.sh: ", Duration.ofMinutes(8));
        List<String> lines = Files.readAllLines(log);
        String text = String.join("\n", lines);
        assertEquals(0, run.exitCode(), text);
        assertTrue(lines.get(0).startsWith("demo: "), "the log starts with the script's first line: " + lines.get(0));
        int broker = indexOf(lines, "demo: broker at 127.0.0.1:");
        int generated = indexOf(lines, "1/3 Generated 4 sensors x 600 readings");
        int replayed = indexOf(lines, "2/3 Replayed to topic");
        int backtest = indexOf(lines, "3/3 Backtesting");
        int stopped = indexOf(lines, "demo: stopping the broker");
        assertTrue(broker < generated && generated < replayed && replayed < backtest && backtest < stopped, text);
        assertTrue(text.contains("AR("), "the summary compares with the AR baseline: " + text);
        Matcher alarmed = Pattern.compile("Alarmed (\\d+) of (\\d+) injected anomalies").matcher(text);
        assertTrue(alarmed.find(), text);
        int injected = Integer.parseInt(alarmed.group(2));
        assertTrue(injected > 0, text);
        long accounted = lines.stream().filter(l -> l.matches("  \\S+ .* at .*: (alarm \\d+ readings after its start"
                + "|no alarm within \\d+ readings).*")).count();
        assertEquals(injected, accounted, "each injected anomaly has its line: " + text);
        List<Path> plots = lines.stream().dropWhile(l -> !l.equals("Plots:")).skip(1)
                .takeWhile(l -> l.startsWith("  /")).map(l -> Path.of(l.trim())).toList();
        assertTrue(!plots.isEmpty(), "plots listed: " + text);
        for (Path plot : plots) {
            byte[] head = Files.readAllBytes(plot);
            assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', plot + " is a PNG");
        }
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with '" + start + "' in:\n" + String.join("\n", lines));
    }
}

package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn-streams detection} end to end without SKAB: the demo's and the noise's tables. */
class DetectionCommandTest {
    @TempDir
    Path dir;

    @Test
    void scoresTheDemoAndCalibratesOnNoise() throws Exception {
        Path output = dir.resolve("d/detection.md");
        AccuracyCommandTest.Run run = AccuracyCommandTest.run("detection", "--no-skab", "--noise-readings", "20000",
                "--nab-style-series", "6", "--threads", "2", "--output", output.toString());
        assertEquals(0, run.code(), run.err());
        String md = Files.readString(output);
        assertEquals(run.out(), md);
        assertTrue(md.contains("### demo") && md.contains("### Gaussian noise") && !md.contains("### SKAB"), md);
        // h16b/h16g: the plain RNN's rows at its own default (an LSTM of 32), the hybrid learner's at its own (a GRU
        // of 16), each named in full
        assertTrue(md.contains("\n- RNN: LSTM D=1 H=[32] O=1 "), md);
        assertTrue(md.contains("\n- Hybrid learner's corrector: GRU D=1 H=[16] O=1 "), md);
        // the demo: all 6 injected anomalies alarmed at their first reading; NAB standard 96.0 on the scores
        String learner = md.lines().filter(l -> l.startsWith("| RNN + detector (learner) | 96.0 (1.00000)"))
                .findFirst().orElseThrow(() -> new AssertionError(md));
        assertTrue(learner.contains("| 6/6 / 0.12 |"), learner);
        // the hybrid learner's errors through the same detector: the same alarms on the demo
        String hybrid = md.lines().filter(l -> l.startsWith("| hybrid learner + detector | 96.0 (1.00000)"))
                .findFirst().orElseThrow(() -> new AssertionError(md));
        assertTrue(hybrid.contains("| 6/6 / 0.12 |"), hybrid);
        assertTrue(md.contains("| null (always 0) | 0.0 (none) | 0.0 (none) | 0.0 (none) | 0.500 |"), md);
        // the generated NAB-style corpus: its own table, 6 series, scored with the same detector rows
        String nab = md.substring(md.indexOf("### NAB-style"));
        assertTrue(nab.contains("6 generated one-channel series x 4000 readings (seed 1;"), nab);
        assertTrue(nab.lines().anyMatch(l -> l.startsWith("| hybrid learner + detector |")), nab);
    }

    @Test
    void tooShortNabStyleSeriesAreAUsageError() {
        AccuracyCommandTest.Run run = AccuracyCommandTest.run("detection", "--no-skab", "--nab-style-readings", "500",
                "--output", dir.resolve("x.md").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--nab-style-readings >= 1000 (got 500)"), run.err());
    }

    @Test
    void missingSkabIsAUsageError() {
        AccuracyCommandTest.Run run = AccuracyCommandTest.run("detection", "--skab", dir.resolve("nope").toString(),
                "--output", dir.resolve("x.md").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--skab"), run.err());
    }
}

package io.rnnstreams.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkabDataTest {
    private static final String HEADER = "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;"
            + "Thermocouple;Voltage;Volume Flow RateRMS";

    private static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\r\n", lines) + "\r\n");
    }

    private static Path tinyCorpus(Path root) throws IOException {
        write(root.resolve("anomaly-free/anomaly-free.csv"), HEADER,
                "2020-02-08 13:30:47;1;2;3;4;5;6;7;8", "2020-02-08 13:30:48;1.5;2;3;4;5;6;7;8");
        write(root.resolve("valve1/10.csv"), HEADER + ";anomaly;changepoint",
                "2020-03-01 00:00:00;1;1;1;1;1;1;1;1;0.0;0.0", "2020-03-01 00:00:01;2;2;2;2;2;2;2;2;1.0;1.0");
        write(root.resolve("valve1/2.csv"), HEADER + ";anomaly;changepoint",
                "2020-03-02 00:00:00;1;1;1;1;1;1;1;1;0.0;0.0", "2020-03-02 00:00:02;3;3;3;3;3;3;3;3;1.0;0.0");
        write(root.resolve("valve2/0.csv"), HEADER + ";anomaly;changepoint",
                "2020-02-01 00:00:00;1;1;1;1;1;1;1;1;0;0", "2020-02-01 00:00:01;1;1;1;1;1;1;1;1;0;0");
        Files.createDirectories(root.resolve("other"));
        return root;
    }

    @Test
    void readsValuesLabelsTimesAndNumericFileOrder(@TempDir Path dir) throws Exception {
        SkabData data = SkabData.read(tinyCorpus(dir));
        assertEquals(List.of("valve1/2", "valve1/10", "valve2/0"), data.runs().stream().map(SkabData.Run::name).toList());
        SkabData.Run run = data.runs().get(1);
        assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2, 2, 2}, run.values()[1]);
        assertArrayEquals(new int[] {0, 1}, run.anomaly());
        assertArrayEquals(new int[] {0, 1}, run.changepoint());
        assertEquals(1_583_020_800L, run.epochSecond()[0]); // 2020-03-01T00:00:00Z
        assertEquals(1L, run.epochSecond()[1] - run.epochSecond()[0]);
        assertNull(data.anomalyFree().anomaly());
        assertEquals(1.5, data.anomalyFree().values()[1][0]);
        assertEquals(List.of("valve2/0", "valve1/10", "valve1/2"),
                data.runsInTimeOrder().stream().map(SkabData.Run::name).toList());
    }

    @Test
    void refusesMissingFolderBadLabelAndBadNumber(@TempDir Path dir) throws Exception {
        AccuracyException missing = assertThrows(AccuracyException.class, () -> SkabData.read(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("--skab"), missing.getMessage());
        Path root = tinyCorpus(dir.resolve("a"));
        write(root.resolve("other/1.csv"), HEADER + ";anomaly;changepoint", "2020-03-01 00:00:00;1;1;1;1;1;1;1;1;2;0",
                "2020-03-01 00:00:01;1;1;1;1;1;1;1;1;0;0");
        AccuracyException label = assertThrows(AccuracyException.class, () -> SkabData.read(root));
        assertTrue(label.getMessage().contains("other/1.csv:2: anomaly must be 0 or 1"), label.getMessage());
        write(root.resolve("other/1.csv"), HEADER + ";anomaly;changepoint", "2020-03-01 00:00:00;1;x;1;1;1;1;1;1;0;0",
                "2020-03-01 00:00:01;1;1;1;1;1;1;1;1;0;0");
        AccuracyException number = assertThrows(AccuracyException.class, () -> SkabData.read(root));
        assertTrue(number.getMessage().contains("Accelerometer2RMS is not a finite number: 'x'"), number.getMessage());
    }

    /** The real corpus, where the shared data folder is present: 34 labelled runs, the anomaly-free file's rows. */
    @Test
    void readsTheSharedCorpus() throws Exception {
        Path root = Path.of("..", "..", "shared", "data", "skab");
        assumeTrue(Files.isDirectory(root), "no ../shared/data/skab here");
        SkabData data = SkabData.read(root);
        assertEquals(34, data.runs().size());
        assertEquals(9_405, data.anomalyFree().length());
        long rows = data.runs().stream().mapToLong(SkabData.Run::length).sum();
        assertEquals(37_401, rows);
    }
}

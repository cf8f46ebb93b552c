package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts are real PNG files of the documented size, written without a display. */
class BacktestPlotsTest {
    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** A sine of {@code n} readings with an RNN that forecasts the actual next value plus 0.1. */
    static SensorResult sineResult(String sensor, int n) {
        long[] times = new long[n];
        double[][] actuals = new double[n][];
        double[][] forecasts = new double[n][];
        double[][] previousErrors = new double[n][];
        double[] scores = new double[n];
        for (int t = 0; t < n; t++) {
            times[t] = 1_700_000_000_000L + 1_000L * t;
            actuals[t] = new double[] {Math.sin(t * 0.3)};
            forecasts[t] = new double[] {Math.sin((t + 1) * 0.3) + 0.1};
            previousErrors[t] = t == 0 ? null : new double[] {actuals[t][0] - forecasts[t - 1][0]};
            scores[t] = t == n / 2 ? 0.999 : 0.5;
        }
        SensorSeries s = new SensorSeries(sensor, times, actuals, forecasts, previousErrors, scores, 0);
        return new SensorScorer(8, 0.999, 100).score(s);
    }

    static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), file + " starts with the PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " decodes");
        assertEquals(BacktestPlots.WIDTH, image.getWidth());
        assertEquals(BacktestPlots.HEIGHT, image.getHeight());
    }

    @Test
    void writesAForecastAndAnAnomalyChartOf1200By500(@TempDir Path dir) throws IOException {
        List<Path> files = BacktestPlots.write(dir.resolve("charts"), sineResult("pump/7 a", 2_500), 0.99, 8);
        assertEquals(List.of(dir.resolve("charts/pump_7_a-forecast.png"), dir.resolve("charts/pump_7_a-anomaly.png")),
                files);
        assertEquals(1200, BacktestPlots.WIDTH);
        assertEquals(500, BacktestPlots.HEIGHT);
        for (Path f : files) {
            assertPng(f);
        }
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void chartsOfATinySeriesAreStillValid(@TempDir Path dir) throws IOException {
        for (Path f : BacktestPlots.write(dir, sineResult("one", 1), 0.99, 8)) {
            assertPng(f);
        }
    }

    @Test
    void fileStemsAreSafe() {
        assertEquals("sensor-1.a_b", BacktestPlots.fileStem("sensor-1.a_b"));
        assertEquals("a_b_c", BacktestPlots.fileStem("a/b\\c"));
        assertEquals("_..", BacktestPlots.fileStem(".."));
        assertEquals("_", BacktestPlots.fileStem(""));
    }
}

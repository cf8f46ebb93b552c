package io.rnnstreams.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.rnnstreams.eval.Baselines;
import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.KeySeries;
import io.rnnstreams.eval.Prequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated datasets: stated periods, shape, determinism. */
class GeneratedSeriesTest {
    /**
     * The period in [2, maxPeriod] whose sinusoid carries the most power (periodogram at frequency 1/m) of
     * {@code x} after its least-squares line is taken out.
     */
    static int dominantPeriod(double[] x, int maxPeriod) {
        int n = x.length;
        double st = 0, sx = 0, stt = 0, stx = 0;
        for (int t = 0; t < n; t++) {
            st += t;
            sx += x[t];
            stt += (double) t * t;
            stx += t * x[t];
        }
        double slope = (n * stx - st * sx) / (n * stt - st * st);
        double intercept = (sx - slope * st) / n;
        int best = -1;
        double bestPower = -1;
        for (int m = 2; m <= maxPeriod; m++) {
            double re = 0, im = 0;
            for (int t = 0; t < n; t++) {
                double r = x[t] - intercept - slope * t;
                re += r * Math.cos(2 * Math.PI * t / m);
                im += r * Math.sin(2 * Math.PI * t / m);
            }
            double power = re * re + im * im;
            if (power > bestPower) {
                bestPower = power;
                best = m;
            }
        }
        return best;
    }

    @Test
    void seasonalSeriesHaveTheStatedPeriod() {
        Dataset seasonal = GeneratedSeries.seasonal(4, 2000, 1);
        assertEquals(GeneratedSeries.SEASONAL_PERIOD, seasonal.period());
        assertEquals(24, seasonal.period());
        for (KeySeries k : seasonal.keys()) {
            assertEquals(24, dominantPeriod(k.channel(0), 3 * 24), k.key());
        }
        // and seasonal persistence with that period beats persistence on them; with a wrong period it does not
        double right = Prequential.run(seasonal, Baselines.seasonalPersistence(24)).errors().mase();
        double wrong = Prequential.run(seasonal, Baselines.seasonalPersistence(17)).errors().mase();
        assertEquals(true, right < 0.95, "seasonal persistence MASE " + right);
        assertEquals(true, wrong > 1.2, "wrong-period seasonal persistence MASE " + wrong);
    }

    @Test
    void theOtherDatasetsStateNoPeriod() {
        List<Dataset> all = GeneratedSeries.all(2, 500, 1);
        assertEquals(List.of("seasonal", "regime switch", "Mackey-Glass", "logistic map"),
                all.stream().map(Dataset::name).toList());
        for (Dataset d : all.subList(1, all.size())) {
            assertEquals(0, d.period(), d.name());
        }
        // negative control for the period finder: the regime series has no 24-step cycle
        for (KeySeries k : GeneratedSeries.regimes(4, 2000, 1).keys()) {
            assertNotEquals(24, dominantPeriod(k.channel(0), 3 * 24), k.key());
        }
    }

    @Test
    void shapeAndSeedDeterminism() {
        for (Dataset d : GeneratedSeries.all(3, 400, 9)) {
            assertEquals(3, d.keys().size(), d.name());
            assertEquals(3 * 400, d.readings(), d.name());
            assertEquals(1, d.channels());
            assertFalse(d.keys().get(0).key().equals(d.keys().get(1).key()));
            // keys differ from one another (independent paths)
            assertNotEquals(d.keys().get(0).values()[399][0], d.keys().get(1).values()[399][0], d.name());
        }
        List<Dataset> a = GeneratedSeries.all(2, 300, 3);
        List<Dataset> b = GeneratedSeries.all(2, 300, 3);
        List<Dataset> c = GeneratedSeries.all(2, 300, 4);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).keys().get(1).channel(0), b.get(i).keys().get(1).channel(0), 0.0);
            assertFalse(java.util.Arrays.equals(a.get(i).keys().get(1).channel(0),
                    c.get(i).keys().get(1).channel(0)), a.get(i).name());
        }
    }

    @Test
    void chaoticSeriesStayOnTheirAttractors() {
        for (KeySeries k : GeneratedSeries.mackeyGlass(2, 2000, 1).keys()) {
            double[] x = k.channel(0);
            double min = java.util.Arrays.stream(x).min().orElseThrow();
            double max = java.util.Arrays.stream(x).max().orElseThrow();
            // the tau = 17 attractor spans roughly 0.2 .. 1.4 and does not settle
            assertEquals(true, min > 0.1 && min < 0.6 && max > 1.1 && max < 1.5, min + " .. " + max);
        }
        for (KeySeries k : GeneratedSeries.logistic(2, 2000, 1).keys()) {
            double[] x = k.channel(0);
            assertEquals(true, java.util.Arrays.stream(x).allMatch(v -> v > -0.1 && v < 1.1));
        }
    }
}

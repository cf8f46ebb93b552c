package io.rnnstreams.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.eval.detection.RunScorer;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lagged detector rows: the verdict on reading t-L is the score at row t (zero before L rows), and the
 * hindsight row is the same verdicts moved L rows earlier, bit for bit (zero on the last L rows).
 */
class SmootherDetectorsTest {
    @Test
    void hindsightIsTheLaggedScoreMovedLRowsEarlier() {
        int lag = 4;
        int n = 1_500;
        double[][] values = new double[n][2];
        for (int t = 0; t < n; t++) {
            values[t][0] = Math.sin(t * 0.2) + (t == 1_200 ? 4 : 0);
            values[t][1] = 3 + Math.cos(t * 0.05);
        }
        LabelledRun run = new LabelledRun("run", values, new boolean[n], List.of(), 100);
        DetectionCorpus corpus = new DetectionCorpus("corpus", "two channels", 2, 10, List.of(run));
        LearnerConfig learner = LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(2).hiddenSizes(8).seed(3).build()).build();
        DetectorConfig detector = DetectorConfig.DEFAULTS;
        RunScorer lagged = SmootherDetectors.lagged(learner, lag, detector).factory().start(corpus, run);
        RunScorer hindsight = SmootherDetectors.hindsight(learner, lag, detector).factory().start(corpus, run);
        double[] a = new double[n];
        double[] b = new double[n];
        for (int t = 0; t < n; t++) {
            a[t] = lagged.score(values[t].clone());
            b[t] = hindsight.score(values[t].clone());
        }
        for (int t = 0; t < lag; t++) {
            assertEquals(0.0, a[t], "nothing is judged before L rows");
        }
        for (int t = 0; t + lag < n; t++) {
            assertEquals(Double.doubleToRawLongBits(a[t + lag]), Double.doubleToRawLongBits(b[t]), "row " + t);
        }
        for (int t = n - lag; t < n; t++) {
            assertEquals(0.0, b[t], "the last L rows are never judged");
        }
        assertTrue(a[1_200 + lag] > 0.99, "the spike at 1,200 is flagged at 1,200 + L: " + a[1_200 + lag]);
    }
}

package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AlarmGate;
import io.rnnstreams.eval.detection.RunScorer;
import io.rnnstreams.eval.detection.ScoredSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs every detector over every run of every corpus (each run from its first reading, with a fresh
 * detector) and keeps the scores. Runs are independent and deterministic: the thread count changes only the
 * wall time.
 */
public final class Detection {
    /** One detector's scores on one corpus, run by run in corpus order. */
    public record Scores(DetectionCorpus corpus, DetectorKind detector, List<ScoredSeries> series, double seconds) {
    }

    /**
     * One run's scores and the detector's alarm signals per reading ({@link RunScorer#signals}), the alarms it raised
     * itself at its own gate ({@link RunScorer#ownGate}; both {@code null} without one), and its CPU seconds.
     */
    private record RunScores(double[] scores, int[] signals, boolean[] alarms, AlarmGate gate, double seconds) {
    }

    private Detection() {
    }

    /** Scores of {@code detectors} (outer: corpora, inner: detectors, in the given orders). */
    public static List<List<Scores>> run(List<DetectionCorpus> corpora, List<DetectorKind> detectors, int threads)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "detection");
            t.setDaemon(true);
            return t;
        });
        try {
            List<List<List<Future<RunScores>>>> futures = new ArrayList<>();
            for (DetectionCorpus corpus : corpora) {
                List<List<Future<RunScores>>> perDetector = new ArrayList<>();
                for (DetectorKind detector : detectors) {
                    List<Future<RunScores>> perRun = new ArrayList<>();
                    for (LabelledRun run : corpus.runs()) {
                        perRun.add(pool.submit(() -> scores(corpus, detector, run)));
                    }
                    perDetector.add(perRun);
                }
                futures.add(perDetector);
            }
            List<List<Scores>> out = new ArrayList<>();
            for (int i = 0; i < corpora.size(); i++) {
                DetectionCorpus corpus = corpora.get(i);
                List<Scores> row = new ArrayList<>();
                for (int j = 0; j < detectors.size(); j++) {
                    List<ScoredSeries> series = new ArrayList<>();
                    double seconds = 0;
                    for (int k = 0; k < corpus.runs().size(); k++) {
                        RunScores scores = get(futures.get(i).get(j).get(k));
                        seconds += scores.seconds();
                        series.add(corpus.runs().get(k).scored(scores.scores(), scores.signals(), scores.alarms(),
                                scores.gate()));
                    }
                    row.add(new Scores(corpus, detectors.get(j), series, seconds));
                }
                out.add(row);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One run's scores and signals, and its CPU seconds. */
    private static RunScores scores(DetectionCorpus corpus, DetectorKind detector, LabelledRun run) {
        long start = System.nanoTime();
        RunScorer scorer = detector.factory().start(corpus, run);
        double[] scores = new double[run.length()];
        int[] signals = new int[run.length()];
        AlarmGate gate = scorer.ownGate();
        boolean[] alarms = gate == null ? null : new boolean[run.length()];
        for (int t = 0; t < run.length(); t++) {
            scores[t] = scorer.score(run.values()[t].clone());
            signals[t] = scorer.signals();
            if (alarms != null) {
                alarms[t] = scorer.alarm();
            }
        }
        return new RunScores(scores, signals, alarms, gate, (System.nanoTime() - start) / 1e9);
    }

    private static RunScores get(Future<RunScores> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}

package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AlarmGate;
import io.rnnstreams.eval.detection.EventMetrics;
import io.rnnstreams.eval.detection.NabProfile;
import io.rnnstreams.eval.detection.NabScorer;
import io.rnnstreams.eval.detection.RowMetrics;
import io.rnnstreams.eval.detection.ScoredSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The detection tables as markdown: per labelled corpus the NAB profiles (normalised score and the swept
 * threshold), ROC and PR AUC, F1/FAR/MAR and event figures at each detector's own threshold, the best F1 at
 * a false-alarm rate of at most 15%, and the event figures at the lowest threshold with at most one false
 * alarm per 1,000 normal rows; per normal corpus the fractions of scored rows at or above 0.99, 0.999,
 * 0.9999 and the false alarms at the own threshold.
 */
public final class DetectionReport {
    /** The false-alarm-rate limit of the "best F1" column (SKAB's leader: Conv-AE at 13.55%). */
    public static final double MAX_FAR = 0.15;
    /** False alarms per 1,000 normal rows of the event column. */
    public static final double MAX_FALSE_ALARMS_PER_THOUSAND = 1.0;

    private final int quiet;

    /** @param quiet readings below the threshold that re-arm an alarm (the detector's own setting) */
    public DetectionReport(int quiet) {
        this.quiet = quiet;
    }

    /** A labelled corpus's table; {@code extraNormal} (same detectors, may be empty) joins the event columns. */
    public String labelledTable(List<Detection.Scores> rows, List<Detection.Scores> extraNormal) {
        DetectionCorpus corpus = rows.get(0).corpus();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(corpus.name()).append("\n\n").append(corpus.caption()).append(".\n\n");
        md.append("| detector | NAB standard (thr) | low FP (thr) | low FN (thr) | ROC AUC | PR AUC "
                + "| at own thr: F1 / FAR / MAR | events in time / FA per 1k | NAB std / low FP / low FN on its alarms | best F1 at FAR <= 15% (FAR, MAR, thr) "
                + "| events in time at <= 1 FA per 1k (median delay, thr) |\n");
        md.append("|---|---|---|---|---:|---:|---|---|---|---|---|\n");
        for (int i = 0; i < rows.size(); i++) {
            Detection.Scores s = rows.get(i);
            List<ScoredSeries> all = new ArrayList<>(s.series());
            if (!extraNormal.isEmpty()) {
                all.addAll(extraNormal.get(i).series());
            }
            md.append("| ").append(s.detector().name());
            for (NabProfile p : NabProfile.ALL) {
                NabScorer.Result r = NabScorer.optimise(s.series(), p);
                md.append(" | ").append(f("%.1f", r.normalised())).append(" (").append(g(r.threshold())).append(")");
            }
            md.append(" | ").append(f("%.3f", RowMetrics.rocAuc(s.series())));
            md.append(" | ").append(f("%.3f", RowMetrics.prAuc(s.series())));
            double own = s.detector().threshold();
            if (Double.isNaN(own)) {
                md.append(" | - | - | -");
            } else {
                RowMetrics m = RowMetrics.at(s.series(), own);
                EventMetrics e = EventMetrics.at(all, own, corpus.horizon(), quiet);
                md.append(" | ").append(f("%.3f / %.1f%% / %.1f%%", m.f1(), 100 * m.far(), 100 * m.mar()));
                md.append(" | ").append(e.detected()).append("/").append(e.events())
                        .append(f(" / %.2f", e.falseAlarmsPerThousand()));
                List<ScoredSeries> alarms = alarmSeries(s.series(), own);
                md.append(" |");
                for (NabProfile p : NabProfile.ALL) {
                    md.append(f(" %.1f", NabScorer.optimise(alarms, p).normalised()));
                }
            }
            RowMetrics best = RowMetrics.bestF1(s.series(), MAX_FAR);
            md.append(" | ").append(f("%.3f (%.1f%%, %.1f%%, ", best.f1(), 100 * best.far(), 100 * best.mar()))
                    .append(g(best.threshold())).append(")");
            EventMetrics e = EventMetrics.atFalseAlarmRate(all, MAX_FALSE_ALARMS_PER_THOUSAND, corpus.horizon(), quiet);
            md.append(" | ").append(e.detected()).append("/").append(e.events())
                    .append(f(" (%.0f, ", e.medianDelay())).append(g(e.threshold())).append(")");
            md.append(" |\n");
        }
        return md.toString();
    }

    /** A normal corpus's table: calibration fractions and false alarms at the own threshold. */
    public String normalTable(List<Detection.Scores> rows) {
        DetectionCorpus corpus = rows.get(0).corpus();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(corpus.name()).append("\n\n").append(corpus.caption()).append(".\n\n");
        md.append("| detector | >= 0.99 (1%) | >= 0.999 (0.1%) | >= 0.9999 (0.01%) | FA per 1k at own thr | seconds |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (Detection.Scores s : rows) {
            md.append("| ").append(s.detector().name());
            for (double q : new double[] {0.99, 0.999, 0.9999}) {
                md.append(" | ").append(f("%.4f%%", 100 * fractionAtLeast(s.series(), q)));
            }
            double own = s.detector().threshold();
            md.append(" | ").append(Double.isNaN(own) ? "-"
                    : f("%.2f", EventMetrics.at(s.series(), own, corpus.horizon(), quiet).falseAlarmsPerThousand()));
            md.append(" | ").append(f("%.1f", s.seconds())).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The series as the detector's alarms alone: 1 where {@link AlarmGate} (threshold, {@code quiet}) raises
     * an alarm, 0 elsewhere: what NAB scores when a detector reports detections rather than a level.
     */
    List<ScoredSeries> alarmSeries(List<ScoredSeries> series, double threshold) {
        AlarmGate gate = new AlarmGate(threshold, quiet);
        List<ScoredSeries> out = new ArrayList<>();
        for (ScoredSeries s : series) {
            boolean[] alarms = gate.alarms(s.scores());
            double[] binary = new double[alarms.length];
            for (int t = 0; t < alarms.length; t++) {
                binary[t] = alarms[t] ? 1.0 : 0.0;
            }
            out.add(s.withScores(binary));
        }
        return out;
    }

    /** The fraction of scored rows with a score at or above {@code q}. */
    public static double fractionAtLeast(List<ScoredSeries> series, double q) {
        long n = 0;
        long above = 0;
        for (ScoredSeries s : series) {
            for (int t = s.firstScored(); t < s.length(); t++) {
                n++;
                if (s.scores()[t] >= q) {
                    above++;
                }
            }
        }
        return n == 0 ? Double.NaN : above / (double) n;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String g(double threshold) {
        if (Double.isInfinite(threshold)) {
            return "none";
        }
        return String.format(Locale.ROOT, "%.6g", threshold);
    }
}

package io.rnnstreams.eval.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Detection figures as markdown table rows, one detector a row, every figure computed by this package:
 * on labelled data the NAB profiles (normalised score and swept threshold), ROC and PR AUC, per-row
 * F1/FAR/MAR, event figures and NAB on the alarms at the detector's own threshold, the best F1 at a
 * false-alarm rate of at most {@value #MAX_FAR}, and the event figures at the lowest threshold with at most
 * one false alarm per 1,000 normal rows; on normal data the fractions of scored rows at or above 0.99,
 * 0.999, 0.9999 and the false alarms at the own threshold.
 */
public final class DetectionTable {
    /** The false-alarm-rate limit of the "best F1" column (SKAB's leader: Conv-AE at 13.55%). */
    public static final double MAX_FAR = 0.15;
    /** False alarms per 1,000 normal rows of the last event column. */
    public static final double MAX_FALSE_ALARMS_PER_THOUSAND = 1.0;

    /**
     * One detector's scores.
     *
     * @param detector     the row name
     * @param ownThreshold its alarm threshold, or NaN if it has none
     * @param series       its scores on the labelled series
     * @param extraNormal  its scores on extra normal series that join the event columns (may be empty)
     * @param escalation   its alarms' escalation factor ({@link AlarmGate}; {@link AlarmGate#NO_ESCALATION}: one
     *                     alarm per event), used wherever alarms are counted
     */
    public record Row(String detector, double ownThreshold, List<ScoredSeries> series, List<ScoredSeries> extraNormal,
                      double escalation) {
        public Row {
            series = List.copyOf(series);
            extraNormal = List.copyOf(extraNormal);
        }

        /** A row whose alarms are one per event. */
        public Row(String detector, double ownThreshold, List<ScoredSeries> series, List<ScoredSeries> extraNormal) {
            this(detector, ownThreshold, series, extraNormal, AlarmGate.NO_ESCALATION);
        }
    }

    private final int horizon;
    private final int quiet;

    /**
     * @param horizon rows after an event's onset within which an alarm is in time
     * @param quiet   readings below the threshold that re-arm an alarm (the detector's own setting)
     */
    public DetectionTable(int horizon, int quiet) {
        this.horizon = horizon;
        this.quiet = quiet;
    }

    /** The table of labelled series: header, separator, one line per row. */
    public String labelled(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| detector | NAB standard (thr) | low FP (thr) | low FN (thr) | ROC AUC | PR AUC "
                + "| at own thr: F1 / FAR / MAR | events in time / FA per 1k | NAB std / low FP / low FN on its alarms "
                + "| best F1 at FAR <= 15% (FAR, MAR, thr) | events in time at <= 1 FA per 1k (median delay, thr) |\n");
        md.append("|---|---|---|---|---:|---:|---|---|---|---|---|\n");
        for (Row row : rows) {
            List<ScoredSeries> all = new ArrayList<>(row.series());
            all.addAll(row.extraNormal());
            md.append("| ").append(row.detector());
            for (NabProfile p : NabProfile.ALL) {
                NabScorer.Result r = NabScorer.optimise(row.series(), p);
                md.append(" | ").append(f("%.1f", r.normalised())).append(" (").append(g(r.threshold())).append(")");
            }
            md.append(" | ").append(f("%.3f", RowMetrics.rocAuc(row.series())));
            md.append(" | ").append(f("%.3f", RowMetrics.prAuc(row.series())));
            double own = row.ownThreshold();
            if (Double.isNaN(own)) {
                md.append(" | - | - | -");
            } else {
                RowMetrics m = RowMetrics.at(row.series(), own);
                EventMetrics e = EventMetrics.at(all, own, horizon, quiet, row.escalation());
                md.append(" | ").append(f("%.3f / %.1f%% / %.1f%%", m.f1(), 100 * m.far(), 100 * m.mar()));
                md.append(" | ").append(e.detected()).append("/").append(e.events())
                        .append(f(" / %.2f", e.falseAlarmsPerThousand()));
                List<ScoredSeries> alarms = alarmSeries(row.series(), own, row.escalation());
                md.append(" |");
                for (NabProfile p : NabProfile.ALL) {
                    md.append(f(" %.1f", NabScorer.optimise(alarms, p).normalised()));
                }
            }
            RowMetrics best = RowMetrics.bestF1(row.series(), MAX_FAR);
            md.append(" | ").append(f("%.3f (%.1f%%, %.1f%%, ", best.f1(), 100 * best.far(), 100 * best.mar()))
                    .append(g(best.threshold())).append(")");
            EventMetrics e = EventMetrics.atFalseAlarmRate(all, MAX_FALSE_ALARMS_PER_THOUSAND, horizon, quiet,
                    row.escalation());
            md.append(" | ").append(e.detected()).append("/").append(e.events())
                    .append(f(" (%.0f, ", e.medianDelay())).append(g(e.threshold())).append(")");
            md.append(" |\n");
        }
        return md.toString();
    }

    /** The table of normal series: calibration fractions and false alarms at the own threshold. */
    public String normal(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| detector | >= 0.99 (1%) | >= 0.999 (0.1%) | >= 0.9999 (0.01%) | FA per 1k at own thr |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            md.append("| ").append(row.detector());
            for (double q : new double[] {0.99, 0.999, 0.9999}) {
                md.append(" | ").append(f("%.4f%%", 100 * fractionAtLeast(row.series(), q)));
            }
            double own = row.ownThreshold();
            md.append(" | ").append(Double.isNaN(own) ? "-"
                    : f("%.2f", EventMetrics.at(row.series(), own, horizon, quiet, row.escalation())
                            .falseAlarmsPerThousand()));
            md.append(" |\n");
        }
        return md.toString();
    }

    /**
     * The series as the detector's alarms alone: 1 where {@link AlarmGate} (threshold, {@code quiet},
     * {@code escalation}) raises an alarm, 0 elsewhere: what NAB scores when a detector reports detections rather
     * than a level.
     */
    public List<ScoredSeries> alarmSeries(List<ScoredSeries> series, double threshold, double escalation) {
        AlarmGate gate = new AlarmGate(threshold, quiet, escalation);
        List<ScoredSeries> out = new ArrayList<>();
        for (ScoredSeries s : series) {
            boolean[] alarms = s.alarms(gate);
            double[] binary = new double[alarms.length];
            for (int t = 0; t < alarms.length; t++) {
                binary[t] = alarms[t] ? 1.0 : 0.0;
            }
            out.add(s.withScores(binary));
        }
        return out;
    }

    /** The fraction of scored rows with a score at or above {@code q}; NaN without scored rows. */
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

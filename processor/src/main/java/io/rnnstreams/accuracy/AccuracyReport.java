package io.rnnstreams.accuracy;

import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.ErrorSummary;
import io.rnnstreams.eval.MethodResult;
import java.util.List;
import java.util.Locale;

/**
 * The accuracy command's result: per dataset, one row per method. {@link #markdown} renders it as markdown,
 * one table per dataset (method, readings scored, MAE, RMSE, MASE, seconds).
 *
 * @param header   lines printed before the tables (command line, configuration, how to read the figures)
 * @param datasets the tables, in order
 */
public record AccuracyReport(List<String> header, List<Table> datasets) {
    public AccuracyReport {
        header = List.copyOf(header);
        datasets = List.copyOf(datasets);
    }

    /**
     * One dataset's table.
     *
     * @param dataset the dataset (name and caption)
     * @param rows    one per method
     */
    public record Table(Dataset dataset, List<MethodResult> rows) {
        public Table {
            rows = List.copyOf(rows);
        }

        /** The row named {@code method}. */
        public MethodResult row(String method) {
            for (MethodResult r : rows) {
                if (r.method().equals(method)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("no row " + method + " in " + dataset.name());
        }
    }

    /** The table of the dataset named {@code name}. */
    public Table table(String name) {
        for (Table t : datasets) {
            if (t.dataset().name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no dataset " + name);
    }

    /** Markdown: the header lines, then per dataset a heading, its caption and its table. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        for (String line : header) {
            b.append(line).append('\n');
        }
        for (Table t : datasets) {
            b.append('\n').append("### ").append(t.dataset().name()).append("\n\n");
            b.append(t.dataset().caption()).append("\n\n");
            b.append("| method | readings scored | MAE | RMSE | MASE | 90% interval coverage | seconds "
                    + "| µs per reading |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (MethodResult r : t.rows()) {
                ErrorSummary e = r.errors();
                b.append("| ").append(r.method()).append(" | ").append(e.readings()).append(" | ")
                        .append(number(e.mae())).append(" | ").append(number(e.rmse())).append(" | ")
                        .append(mase(e.mase())).append(" | ")
                        .append(Double.isFinite(r.intervalCoverage())
                                ? String.format(Locale.ROOT, "%.1f%%", 100 * r.intervalCoverage()) : "-").append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.microsPerReading(t.dataset().readings())))
                        .append(" |\n");
            }
        }
        Summary summary = summary();
        if (summary != null) {
            b.append('\n').append(summary.markdown());
        }
        return b.toString();
    }

    /**
     * The summary: per dataset the best baseline (lowest MASE among the rows of role
     * {@link MethodResult.Role#BASELINE}), the learner's and the ablation's MASE as ratios to it, and the
     * learner's ratio to its ablation; then the geometric means of each ratio over the real datasets and over
     * all. Null when the tables have no learner row.
     */
    public Summary summary() {
        List<Summary.Line> lines = new java.util.ArrayList<>();
        for (Table t : datasets) {
            MethodResult best = null;
            MethodResult learner = null;
            MethodResult ablation = null;
            for (MethodResult r : t.rows()) {
                switch (r.role()) {
                    case BASELINE -> {
                        if (best == null || r.errors().mase() < best.errors().mase()) {
                            best = r;
                        }
                    }
                    case LEARNER -> learner = r;
                    case ABLATION -> ablation = r;
                    default -> {
                    }
                }
            }
            if (learner == null || best == null) {
                return null;
            }
            lines.add(new Summary.Line(t.dataset(), best, learner, ablation));
        }
        return lines.isEmpty() ? null : new Summary(lines);
    }

    /** The summary table; see {@link #summary()}. */
    public record Summary(List<Line> lines) {
        /** The ratio of learner to best baseline that issue 18's acceptance counts configurations at or below. */
        public static final double LINE = 0.97;

        /** One dataset's line; {@code ablation} may be null. */
        public record Line(Dataset dataset, MethodResult best, MethodResult learner, MethodResult ablation) {
            public double learnerRatio() {
                return learner.errors().mase() / best.errors().mase();
            }

            public double ablationRatio() {
                return ablation == null ? Double.NaN : ablation.errors().mase() / best.errors().mase();
            }

            public double learnerOverAblation() {
                return ablation == null ? Double.NaN : learner.errors().mase() / ablation.errors().mase();
            }
        }

        /** The geometric mean of {@code ratio} over the lines that {@code include}, NaN if none. */
        public double geometricMean(java.util.function.ToDoubleFunction<Line> ratio,
                                    java.util.function.Predicate<Line> include) {
            double logs = 0;
            int n = 0;
            for (Line l : lines) {
                if (include.test(l)) {
                    logs += Math.log(ratio.applyAsDouble(l));
                    n++;
                }
            }
            return n == 0 ? Double.NaN : Math.exp(logs / n);
        }

        /**
         * Markdown: a heading, how to read it, the lines (MASE and ratios to four decimals), the two geometric-mean
         * lines and how many real datasets have the learner at or below {@link #LINE}x their best baseline.
         */
        public String markdown() {
            StringBuilder b = new StringBuilder("### Summary\n\n");
            b.append("MASE ratios to the best baseline of each dataset (the lowest-MASE row among persistence, "
                    + "seasonal persistence, AR, Holt-Winters and the classical combination); below 1 beats it. "
                    + "The ablation is the learner with its recurrent part removed. Overall lines are geometric "
                    + "means of the ratios (every dataset counts once).\n\n");
            b.append("| dataset | best baseline | its MASE | learner MASE | learner / best | ablation / best "
                    + "| learner / ablation |\n");
            b.append("|---|---|---:|---:|---:|---:|---:|\n");
            for (Line l : lines) {
                b.append("| ").append(l.dataset().name()).append(l.dataset().real() ? "" : " (generated)")
                        .append(" | ").append(l.best().method()).append(" | ")
                        .append(mase(l.best().errors().mase())).append(" | ")
                        .append(mase(l.learner().errors().mase())).append(" | ")
                        .append(ratio(l.learnerRatio())).append(" | ").append(ratio(l.ablationRatio()))
                        .append(" | ").append(ratio(l.learnerOverAblation())).append(" |\n");
            }
            for (boolean realOnly : new boolean[] {true, false}) {
                java.util.function.Predicate<Line> include = l -> !realOnly || l.dataset().real();
                b.append("| **geometric mean, ").append(realOnly ? "real datasets" : "all datasets")
                        .append("** | | | | ").append(ratio(geometricMean(Line::learnerRatio, include)))
                        .append(" | ").append(ratio(geometricMean(Line::ablationRatio, include))).append(" | ")
                        .append(ratio(geometricMean(Line::learnerOverAblation, include))).append(" |\n");
            }
            List<String> within = lines.stream().filter(l -> l.dataset().real() && l.learnerRatio() <= LINE)
                    .map(l -> l.dataset().name()).toList();
            long real = lines.stream().filter(l -> l.dataset().real()).count();
            if (real > 0) {
                b.append("\nLearner at or below ").append(LINE).append("x the best baseline (the exact ratio): ")
                        .append(within.size()).append(" of ").append(real).append(" real datasets")
                        .append(within.isEmpty() ? "" : " (" + String.join("; ", within) + ")").append(".\n");
            }
            return b.toString();
        }

        /**
         * A ratio to four decimals (a ratio of 0.97001 must not read as 0.970), or "-" when undefined.
         */
        private static String ratio(double r) {
            return Double.isFinite(r) ? String.format(Locale.ROOT, "%.4f", r) : "-";
        }
    }

    /** A MASE to four decimals (the summary's ratios are computed from the unrounded values). */
    static String mase(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Four significant digits. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(Math.abs(v))));
        return String.format(Locale.ROOT, "%." + Math.min(digits, 8) + "f", v);
    }
}

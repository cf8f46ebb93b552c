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
            b.append("| method | readings scored | MAE | RMSE | MASE | seconds |\n");
            b.append("|---|---:|---:|---:|---:|---:|\n");
            for (MethodResult r : t.rows()) {
                ErrorSummary e = r.errors();
                b.append("| ").append(r.method()).append(" | ").append(e.readings()).append(" | ")
                        .append(number(e.mae())).append(" | ").append(number(e.rmse())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.3f", e.mase())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append(" |\n");
            }
        }
        return b.toString();
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

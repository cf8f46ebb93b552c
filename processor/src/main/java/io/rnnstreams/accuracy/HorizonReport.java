package io.rnnstreams.accuracy;

import io.rnnstreams.backtest.HorizonScores;
import io.rnnstreams.eval.HorizonPrequential;
import java.util.List;
import java.util.Locale;

/**
 * The horizon-wise accuracy run's result as Markdown: per dataset, a table of MASE at selected horizons (rows:
 * methods), the comparison the issue asks for (seq2seq against the recursive rollout at every {@code h >= 6},
 * and against the best iterated baseline at {@code h = N}), and the MASE at every horizon (rows: horizons).
 *
 * @param header lines printed before the tables (command line, configuration, how to read the figures)
 * @param tables the tables, in order
 */
public record HorizonReport(List<String> header, List<HorizonAccuracy.Table> tables) {
    /** The first horizon of the seq2seq-vs-recursive comparison. */
    public static final int FROM = 6;
    /** Seq2seq's MASE over the recursive rollout's that the comparison asks for at every {@code h >= }{@value #FROM}. */
    public static final double TARGET_RATIO = 0.95;

    public HorizonReport {
        header = List.copyOf(header);
        tables = List.copyOf(tables);
    }

    /** The comparison of one encoder-decoder row on one dataset. */
    public record Verdict(String seq2seq, double worstRatio, int worstAt, int horizonsMet, int horizonsCompared, double seq2seqAtN,
                          String bestBaseline, double bestBaselineAtN) {
        public boolean ratioMet() {
            return horizonsMet == horizonsCompared;
        }

        public boolean baselineMet() {
            return seq2seqAtN <= bestBaselineAtN;
        }
    }

    /**
     * Encoder-decoder row {@code name} against the recursive rollout at {@code h = 6..N} and against the best
     * baseline (persistence, AR, Holt-Winters) at {@code h = N}.
     */
    public static Verdict verdict(HorizonAccuracy.Table t, String name) {
        HorizonPrequential.Result seq = t.row(name);
        HorizonPrequential.Result rec = t.row(HorizonAccuracy.RECURSIVE);
        int n = seq.horizon();
        double worst = Double.NaN;
        int worstAt = 0;
        int met = 0;
        int compared = 0;
        for (int h = FROM; h <= n; h++) {
            double r = seq.mase(h) / rec.mase(h);
            compared++;
            met += r <= TARGET_RATIO ? 1 : 0;
            if (!(r <= worst)) {
                worst = r;
                worstAt = h;
            }
        }
        String best = null;
        double bestMase = Double.POSITIVE_INFINITY;
        for (HorizonPrequential.Result r : t.rows()) {
            if (!r.name().startsWith("RNN") && r.mase(n) < bestMase) {
                bestMase = r.mase(n);
                best = r.name();
            }
        }
        return new Verdict(name, worst, worstAt, met, compared, seq.mase(n), best, bestMase);
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        for (String line : header) {
            b.append(line).append('\n');
        }
        for (HorizonAccuracy.Table t : tables) {
            int n = t.rows().get(0).horizon();
            List<Integer> shown = HorizonScores.shownHorizons(n);
            b.append("\n## ").append(t.dataset().name()).append(", h = 1..").append(n).append("\n\n");
            b.append(t.dataset().caption()).append("\n\n");
            b.append("MASE by horizon (one-step naive scale):\n\n| method |");
            for (int h : shown) {
                b.append(" h=").append(h).append(" |");
            }
            b.append(" mean h=").append(Math.min(FROM, n)).append("..").append(n).append(" | seconds |\n|---|");
            b.append("---:|".repeat(shown.size() + 2)).append('\n');
            for (HorizonPrequential.Result r : t.rows()) {
                b.append("| ").append(r.name()).append(" |");
                for (int h : shown) {
                    b.append(' ').append(f3(r.mase(h))).append(" |");
                }
                double mean = 0;
                for (int h = Math.min(FROM, n); h <= n; h++) {
                    mean += r.mase(h);
                }
                b.append(' ').append(f3(mean / (n - Math.min(FROM, n) + 1))).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append(" |\n");
            }
            List<String> encoderDecoders = t.rows().stream().map(HorizonPrequential.Result::name)
                    .filter(name -> name.startsWith(HorizonAccuracy.ENCODER_DECODER)).toList();
            for (String name : n >= FROM ? encoderDecoders : List.<String>of()) {
                Verdict v = verdict(t, name);
                b.append("\n").append(name).append(" / recursive rollout at h = ").append(FROM).append("..").append(n).append(": worst ")
                        .append(f3(v.worstRatio())).append(" (h = ").append(v.worstAt()).append("), <= ")
                        .append(TARGET_RATIO).append(" at ").append(v.horizonsMet()).append(" of ")
                        .append(v.horizonsCompared()).append(" horizons: ").append(v.ratioMet() ? "met" : "NOT met")
                        .append(".\n").append(name).append(" at h = ").append(n).append(": ").append(f3(v.seq2seqAtN()))
                        .append(" vs the best iterated baseline, ").append(v.bestBaseline()).append(", ")
                        .append(f3(v.bestBaselineAtN())).append(": ").append(v.baselineMet() ? "met" : "NOT met")
                        .append(".\n");
            }
            b.append("\nMASE at every horizon:\n\n| h |");
            for (HorizonPrequential.Result r : t.rows()) {
                b.append(' ').append(r.name()).append(" |");
            }
            b.append("\n|---:|").append("---:|".repeat(t.rows().size())).append('\n');
            for (int h = 1; h <= n; h++) {
                b.append("| ").append(h).append(" |");
                for (HorizonPrequential.Result r : t.rows()) {
                    b.append(' ').append(f3(r.mase(h))).append(" |");
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }
}

package io.rnnstreams.accuracy;

import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.HorizonMethod;
import io.rnnstreams.eval.HorizonPrequential;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Seq2SeqConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The horizon-wise accuracy run ({@code rnn-streams accuracy --horizon N}): per dataset, the MASE at every
 * horizon {@code h = 1..N} ({@link HorizonPrequential}) of persistence, AR by RLS iterated, Holt-Winters' h-step
 * forecast, the plain RNN's recursive rollout and the encoder-decoder, all per key, with the same recurrent
 * configuration (the model defaults unless changed: cell, hidden sizes, k1, k2, optimizer, residual). Each
 * (dataset, method) run is independent and deterministic, so threads change only the seconds.
 */
public final class HorizonAccuracy {
    /** Row names the summary reads. */
    public static final String RECURSIVE = "RNN recursive rollout";
    public static final String SEQ2SEQ = "RNN encoder-decoder (seq2seq)";
    public static final String SEQ2SEQ_LAG = "RNN encoder-decoder, decoder also reads x(t+h-N)";
    public static final String SEQ2SEQ_CORRECTED = "RNN encoder-decoder, corrects the per-horizon base (gain)";
    public static final String SEQ2SEQ_CORRECTED_LAG = "RNN encoder-decoder, corrects the base (gain), reads x(t+h-N)";
    public static final String SEQ2SEQ_LEVEL = "RNN encoder-decoder, corrects a base with a smoothed level (gain)";
    public static final String SEQ2SEQ_LEVEL_LAG = "RNN encoder-decoder, corrects a smoothed-level base (gain), reads x(t+h-N)";
    public static final String SEQ2SEQ_BOTH = "RNN encoder-decoder, corrects persistence and a smoothed level (gain)";
    public static final String SEQ2SEQ_BOTH_LAG = "RNN encoder-decoder, corrects persistence and a smoothed level (gain), "
            + "reads x(t+h-N)";
    /** The suffix of the rows whose gain is weighed against the uncorrected base ({@link Seq2SeqConfig.GainRule#CHOSEN}). */
    public static final String CHOSEN = ", gain weighed against the base";
    /** The suffix of the rows whose base is combined at minimum error variance ({@link Seq2SeqConfig.Combination#MIN_VARIANCE}). */
    public static final String MIN_VARIANCE = ", members at minimum error variance";
    /**
     * The configuration {@code rnn.forecast.mode=seq2seq} serves ({@code StreamSettings.seq2seqConfig}): both levels
     * combined at minimum error variance, the gain weighed against the base.
     */
    public static final String SEQ2SEQ_SERVED = SEQ2SEQ_BOTH + MIN_VARIANCE + CHOSEN;
    /** The suffix of the rows whose encoder-decoder is shared by the dataset's keys ({@link HorizonMethods#sharedSeq2seq}). */
    public static final String SHARED = ", scope shared";
    /** What every encoder-decoder row's name starts with: the rows {@code --method} filters. */
    public static final String ENCODER_DECODER = "RNN encoder-decoder";

    private final LearnerConfig base;
    private final int horizon;
    private final int arOrder;
    private final int threads;
    private final List<String> methodFilters;

    /**
     * @param base    the recurrent configuration (channel count set per dataset)
     * @param horizon {@code N >= 1}
     */
    public HorizonAccuracy(LearnerConfig base, int horizon, int arOrder, int threads) {
        this(base, horizon, arOrder, threads, List.of());
    }

    /**
     * @param methodFilters keep only the encoder-decoder rows whose name contains one of these texts (all when
     *                      empty); the baselines and the recursive rollout, which the verdicts compare with, stay
     */
    public HorizonAccuracy(LearnerConfig base, int horizon, int arOrder, int threads, List<String> methodFilters) {
        if (horizon < 1 || horizon > Seq2SeqConfig.MAX_HORIZON) {
            throw new IllegalArgumentException("--horizon must be in [1, " + Seq2SeqConfig.MAX_HORIZON + "], got "
                    + horizon);
        }
        this.base = base;
        this.horizon = horizon;
        this.arOrder = arOrder;
        this.threads = threads;
        this.methodFilters = List.copyOf(methodFilters);
    }

    public int horizon() {
        return horizon;
    }

    /**
     * The methods of {@code data}'s table, in row order: the baselines (persistence, AR iterated, Holt-Winters, the smoothed level), the
     * recursive rollout, the encoder-decoder, the encoder-decoder whose decoder also reads {@code x_{t+h-N}}
     * ({@link Seq2SeqConfig#lagInputs}), and both corrected ({@link Seq2SeqConfig#corrected}: a correction with a
     * fitted gain to the combination of persistence and, with the dataset's period, seasonal persistence), both
     * corrected again with a smoothed level for persistence in the base ({@link Seq2SeqConfig#smoothedLevel}), and
     * with both levels; with both levels again: the gain weighed against the base, and, with the members at minimum
     * error variance too, the configuration the stream serves ({@link #SEQ2SEQ_SERVED}); then the first four with one
     * model shared by the dataset's keys ({@link HorizonMethods#sharedSeq2seq}); without the encoder-decoder rows that
     * {@code methodFilters} leaves out. (The rows with a gain prior, the base alone, the gain shrunk by its variance
     * and the members' memory growing with h were measured in branches s2s14c and s2s14d and removed in s2s14e with
     * their options: docs/accuracy.md keeps their figures.)
     */
    public List<Supplier<HorizonMethod>> methods(Dataset data) {
        List<Supplier<HorizonMethod>> kept = new ArrayList<>();
        for (Supplier<HorizonMethod> m : allMethods(data)) {
            String name = m.get().name();
            if (methodFilters.isEmpty() || !name.startsWith(ENCODER_DECODER)
                    || methodFilters.stream().anyMatch(name::contains)) {
                kept.add(m);
            }
        }
        return kept;
    }

    private List<Supplier<HorizonMethod>> allMethods(Dataset data) {
        int d = data.channels();
        LearnerConfig config = Accuracy.forData(base, d, base.network().cellType());
        Seq2SeqConfig seq2seq = new Seq2SeqConfig(config, horizon);
        Seq2SeqConfig lagged = new Seq2SeqConfig(config, horizon, true);
        Seq2SeqConfig corrected = Seq2SeqConfig.corrected(config, horizon, false, data.period());
        Seq2SeqConfig correctedLagged = Seq2SeqConfig.corrected(config, horizon, true, data.period());
        Seq2SeqConfig both = corrected.withLevel(Seq2SeqConfig.Level.BOTH);
        return List.of(HorizonMethods::persistence,
                () -> HorizonMethods.iteratedAr(d, arOrder),
                () -> HorizonMethods.holtWinters(d, data.period()),
                HorizonMethods::smoothedLevel,
                () -> HorizonMethods.recursive(RECURSIVE, config),
                () -> HorizonMethods.seq2seq(SEQ2SEQ, seq2seq),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_LAG, lagged),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_CORRECTED, corrected),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_CORRECTED_LAG, correctedLagged),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_LEVEL, corrected.withSmoothedLevel()),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_LEVEL_LAG, correctedLagged.withSmoothedLevel()),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_BOTH, corrected.withLevel(Seq2SeqConfig.Level.BOTH)),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_BOTH_LAG, correctedLagged.withLevel(Seq2SeqConfig.Level.BOTH)),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_BOTH + CHOSEN, both.withGainRule(Seq2SeqConfig.GainRule.CHOSEN)),
                () -> HorizonMethods.seq2seq(SEQ2SEQ_SERVED, Seq2SeqConfig.served(config, horizon, data.period())),
                () -> HorizonMethods.sharedSeq2seq(SEQ2SEQ + SHARED, seq2seq),
                () -> HorizonMethods.sharedSeq2seq(SEQ2SEQ_LAG + SHARED, lagged),
                () -> HorizonMethods.sharedSeq2seq(SEQ2SEQ_CORRECTED + SHARED, corrected),
                () -> HorizonMethods.sharedSeq2seq(SEQ2SEQ_CORRECTED_LAG + SHARED, correctedLagged));
    }

    /** One dataset's rows, in the order of {@link #methods}. */
    public record Table(Dataset dataset, List<HorizonPrequential.Result> rows) {
        public Table {
            rows = List.copyOf(rows);
        }

        public HorizonPrequential.Result row(String name) {
            return rows.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row " + name + " in " + dataset.name()));
        }
    }

    /** Runs every table. */
    public List<Table> run(List<Dataset> datasets) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "accuracy-horizon");
            t.setDaemon(true);
            return t;
        });
        try {
            List<List<Future<HorizonPrequential.Result>>> futures = new ArrayList<>();
            for (Dataset data : datasets) {
                List<Future<HorizonPrequential.Result>> row = new ArrayList<>();
                // the recurrent rows are the long ones: submit them first
                List<Supplier<HorizonMethod>> methods = methods(data);
                List<Future<HorizonPrequential.Result>> slots = new ArrayList<>();
                for (int m = methods.size() - 1; m >= 0; m--) {
                    Supplier<HorizonMethod> factory = methods.get(m);
                    slots.add(0, pool.submit(() -> HorizonPrequential.run(data, factory.get(), horizon)));
                }
                row.addAll(slots);
                futures.add(row);
            }
            List<Table> tables = new ArrayList<>();
            for (int i = 0; i < datasets.size(); i++) {
                List<HorizonPrequential.Result> rows = new ArrayList<>();
                for (Future<HorizonPrequential.Result> f : futures.get(i)) {
                    try {
                        rows.add(f.get());
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IllegalStateException("a horizon run on " + datasets.get(i).name() + " failed",
                                e.getCause());
                    }
                }
                tables.add(new Table(datasets.get(i), rows));
            }
            return tables;
        } finally {
            pool.shutdownNow();
        }
    }
}

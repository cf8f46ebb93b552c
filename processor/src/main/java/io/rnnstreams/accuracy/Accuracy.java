package io.rnnstreams.accuracy;

import io.rnnstreams.eval.Baselines;
import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.MethodResult;
import io.rnnstreams.eval.OnlineAr;
import io.rnnstreams.eval.Prequential;
import io.rnnstreams.eval.StreamMethod;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.eval.MethodResult.Role;
import io.rnnstreams.learner.HybridForecaster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs every method over every dataset prequentially ({@link Prequential}) and collects the tables. Each
 * (dataset, method) run is independent and deterministic, so running them on several threads changes only
 * the seconds column.
 *
 * <p>Methods, in row order: the baselines (persistence; seasonal persistence when the dataset has a period;
 * online AR(p) by RLS; online Holt-Winters; their classical combination by recent errors); the plain RNN
 * with the given configuration (its channel count set to the data's) in scope {@code key} and, when the
 * dataset has more than one key, {@code shared}; the tuned configuration's rows if one is given; then the
 * learner and its ablation (the learner with its recurrent part removed).
 */
public final class Accuracy {
    private final LearnerConfig base;
    private final LearnerConfig learnerBase;
    private final int cacheSize;
    private final LearnerConfig tuned;
    private final String tunedLabel;
    private final AccuracyOptions options;

    /**
     * @param base       the plain RNN's configuration (the model defaults unless the user changed them)
     * @param learnerBase the configuration the learner (the hybrid) takes its cell, hidden sizes, TBPTT window and
     *                   seed from: the plain RNN's but for the hidden sizes' default, which is the learner's own
     *                   ({@code AppConfig.learnerConfig(kind)})
     * @param cacheSize  key scope: models kept deserialised ({@code rnn.model.cache-size})
     * @param tuned      the configuration of the extra tuned rows, or null for none
     * @param tunedLabel how the tuned rows are named, e.g. {@code "rnn.train.learning-rate=0.01"}
     */
    public Accuracy(LearnerConfig base, LearnerConfig learnerBase, int cacheSize, LearnerConfig tuned,
                    String tunedLabel, AccuracyOptions options) {
        this.base = base;
        this.learnerBase = learnerBase;
        this.cacheSize = cacheSize;
        this.tuned = tuned;
        this.tunedLabel = tunedLabel;
        this.options = options;
    }

    /**
     * The datasets the options ask for: the generated ones, the demo data, then ETTh1's three and SKAB's four
     * if their files are given.
     */
    public List<Dataset> datasets() throws AccuracyException {
        List<Dataset> all = new ArrayList<>(GeneratedSeries.all(options.keys(), options.length(), options.seed()));
        if (options.demo()) {
            all.add(DemoSet.dataset());
        }
        if (options.ett() != null) {
            all.addAll(EttData.read(options.ett(), options.ettRows()).datasets());
        }
        if (options.skab() != null) {
            all.addAll(SkabSets.datasets(SkabData.read(options.skab())));
        }
        return all;
    }

    /** The methods of {@code data}'s table, in row order, as fresh-instance suppliers. */
    public List<Named> methods(Dataset data) {
        List<Named> methods = new ArrayList<>();
        int d = data.channels();
        int period = data.period();
        methods.add(new Named("persistence", Role.BASELINE, 1, Baselines::persistence));
        if (period > 0) {
            methods.add(new Named("seasonal persistence", Role.BASELINE, 1, () -> Baselines.seasonalPersistence(period)));
        }
        methods.add(new Named("AR", Role.BASELINE, 2, () -> Baselines.onlineAr(d, options.arOrder(),
                OnlineAr.DEFAULT_LAMBDA, OnlineAr.DEFAULT_DELTA)));
        methods.add(new Named("Holt-Winters", Role.BASELINE, 3, () -> Baselines.holtWinters(d, period)));
        methods.add(new Named("classical combination", Role.BASELINE, 5,
                () -> Baselines.classicalCombination(d, period, options.arOrder())));
        List<ModelScope> scopes = data.keys().size() > 1 ? List.of(ModelScope.KEY, ModelScope.SHARED)
                : List.of(ModelScope.KEY);
        LearnerConfig config = forData(base, d, base.network().cellType());
        for (ModelScope scope : options.plainRnn() ? scopes : List.<ModelScope>of()) {
            String name = "RNN " + cellName(config.network().cellType()) + ", scope " + scopeName(scope);
            methods.add(new Named(name, Role.OTHER, 20, () -> new RnnMethod(name, scope, config, cacheSize)));
        }
        if (tuned != null) {
            LearnerConfig tunedConfig = forData(tuned, d, tuned.network().cellType());
            for (ModelScope scope : scopes) {
                String name = "RNN " + cellName(tunedConfig.network().cellType()) + " tuned (" + tunedLabel
                        + "), scope " + scopeName(scope);
                methods.add(new Named(name, Role.OTHER, 20, () -> new RnnMethod(name, scope, tunedConfig, cacheSize)));
            }
        }
        methods.addAll(learnerMethods(data));
        return methods;
    }

    /**
     * The learner's rows: its defaults (scope {@code shared}: one recurrent core per task, per-key linear
     * paths and states), then one row per {@code --learner-variant}, then its ablation (the recurrent part
     * removed: the linear path alone, which is the classical combination).
     */
    List<Named> learnerMethods(Dataset data) {
        List<Named> rows = new ArrayList<>();
        rows.add(learner("learner", Role.LEARNER, data, LearnerVariant.DEFAULTS));
        for (String spec : options.learnerVariants()) {
            rows.add(learner("learner (" + spec + ")", Role.OTHER, data, LearnerVariant.parse(spec)));
        }
        LearnerConfig config = HybridForecaster.networkConfig(learnerBase, data.channels(), data.period(), 1.0);
        String ablation = "learner ablation (recurrent part removed)";
        rows.add(new Named(ablation, Role.ABLATION, 5, () -> new HybridMethod(ablation, ModelScope.KEY, config,
                data.period(), options.arOrder(), false, cacheSize)));
        return rows;
    }

    private Named learner(String name, Role role, Dataset data, LearnerVariant variant) {
        LearnerConfig config = variant.apply(HybridForecaster.networkConfig(learnerBase, data.channels(), data.period(),
                variant.learningRateScale(), variant.slowInputs(), variant.mixture()));
        return new Named(name, role, 25, () -> new HybridMethod(name, variant.scope(), config, data.period(),
                options.arOrder(), variant.recurrent(), variant.anchored(), variant.tuning(), cacheSize));
    }

    private static String scopeName(ModelScope scope) {
        return scope.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A method of a table: its kind, its role in the summary, its relative cost per reading and channel
     * (to schedule the longest runs first), and a way to make a fresh instance.
     */
    public record Named(String kind, Role role, double cost, Supplier<StreamMethod> factory) {
    }

    /** Runs every table. */
    public List<AccuracyReport.Table> run(List<Dataset> datasets) throws InterruptedException {
        record Job(int dataset, int row, Dataset data, Named method, double cost) {
        }
        List<Job> jobs = new ArrayList<>();
        List<List<MethodResult>> rows = new ArrayList<>();
        for (int i = 0; i < datasets.size(); i++) {
            Dataset data = datasets.get(i);
            List<Named> methods = methods(data);
            List<MethodResult> slots = new ArrayList<>();
            for (int j = 0; j < methods.size(); j++) {
                Named m = methods.get(j);
                double cost = (double) data.readings() * data.channels() * m.cost();
                jobs.add(new Job(i, j, data, m, cost));
                slots.add(null);
            }
            rows.add(slots);
        }
        jobs.sort(Comparator.comparingDouble(Job::cost).reversed()); // longest first: less idle time at the end
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "accuracy");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<MethodResult>> futures = new ArrayList<>();
            for (Job job : jobs) {
                futures.add(pool.submit(() -> Prequential.run(job.data(), job.method().factory().get())
                        .withRole(job.method().role())));
            }
            for (int k = 0; k < jobs.size(); k++) {
                Job job = jobs.get(k);
                try {
                    rows.get(job.dataset()).set(job.row(), futures.get(k).get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(job.method().kind() + " on " + job.data().name() + " failed",
                            cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<AccuracyReport.Table> tables = new ArrayList<>();
        for (int i = 0; i < datasets.size(); i++) {
            tables.add(new AccuracyReport.Table(datasets.get(i), rows.get(i)));
        }
        return tables;
    }

    /** {@code config} with {@code channels} inputs and outputs and the given cell. */
    static LearnerConfig forData(LearnerConfig config, int channels, CellType cell) {
        return config.toBuilder().network(config.network().toBuilder().inputSize(channels).outputSize(channels)
                .cellType(cell).build()).build();
    }

    static String cellName(CellType cell) {
        return switch (cell) {
            case ELMAN -> "Elman";
            case GRU -> "GRU";
            case LSTM -> "LSTM";
        };
    }
}

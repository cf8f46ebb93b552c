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
 * <p>Methods, in row order: persistence; seasonal persistence when the dataset has a period; online AR(p)
 * by RLS; the RNN with each cell (Elman, GRU, LSTM) in scope {@code key} and, when the dataset has more than
 * one key, {@code shared}, with the given configuration (its cell replaced, its channel count set to the
 * data's); then, if a tuned configuration is given, that configuration in both scopes.
 */
public final class Accuracy {
    private final LearnerConfig base;
    private final int cacheSize;
    private final LearnerConfig tuned;
    private final String tunedLabel;
    private final AccuracyOptions options;

    /**
     * @param base       the RNN configuration (the model defaults unless the user changed them)
     * @param cacheSize  key scope: models kept deserialised ({@code rnn.model.cache-size})
     * @param tuned      the configuration of the extra tuned rows, or null for none
     * @param tunedLabel how the tuned rows are named, e.g. {@code "rnn.train.learning-rate=0.01"}
     */
    public Accuracy(LearnerConfig base, int cacheSize, LearnerConfig tuned, String tunedLabel,
                    AccuracyOptions options) {
        this.base = base;
        this.cacheSize = cacheSize;
        this.tuned = tuned;
        this.tunedLabel = tunedLabel;
        this.options = options;
    }

    /** The datasets the options ask for: the generated ones, then ETTh1's three if a file is given. */
    public List<Dataset> datasets() throws AccuracyException {
        List<Dataset> all = new ArrayList<>(GeneratedSeries.all(options.keys(), options.length(), options.seed()));
        if (options.ett() != null) {
            all.addAll(EttData.read(options.ett(), options.ettRows()).datasets());
        }
        return all;
    }

    /** The methods of {@code data}'s table, in row order, as fresh-instance suppliers. */
    public List<Named> methods(Dataset data) {
        List<Named> methods = new ArrayList<>();
        int d = data.channels();
        methods.add(new Named("persistence", false, Baselines::persistence));
        if (data.period() > 0) {
            methods.add(new Named("seasonal persistence", false, () -> Baselines.seasonalPersistence(data.period())));
        }
        methods.add(new Named("AR", false, () -> Baselines.onlineAr(d, options.arOrder(), OnlineAr.DEFAULT_LAMBDA,
                OnlineAr.DEFAULT_DELTA)));
        List<ModelScope> scopes = data.keys().size() > 1 ? List.of(ModelScope.KEY, ModelScope.SHARED)
                : List.of(ModelScope.KEY);
        for (CellType cell : List.of(CellType.ELMAN, CellType.GRU, CellType.LSTM)) {
            LearnerConfig config = forData(base, d, cell);
            for (ModelScope scope : scopes) {
                String name = "RNN " + cellName(cell) + ", scope " + scope.name().toLowerCase(java.util.Locale.ROOT);
                methods.add(new Named(name, true, () -> new RnnMethod(name, scope, config, cacheSize)));
            }
        }
        if (tuned != null) {
            LearnerConfig config = forData(tuned, d, tuned.network().cellType());
            for (ModelScope scope : scopes) {
                String name = "RNN " + cellName(config.network().cellType()) + " tuned (" + tunedLabel + "), scope "
                        + scope.name().toLowerCase(java.util.Locale.ROOT);
                methods.add(new Named(name, true, () -> new RnnMethod(name, scope, config, cacheSize)));
            }
        }
        return methods;
    }

    /** A method of a table: its kind and a way to make a fresh instance. */
    public record Named(String kind, boolean rnn, Supplier<StreamMethod> factory) {
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
                double cost = (double) data.readings() * (m.rnn() ? 20.0 + data.channels() : data.channels());
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
                futures.add(pool.submit(() -> Prequential.run(job.data(), job.method().factory().get())));
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

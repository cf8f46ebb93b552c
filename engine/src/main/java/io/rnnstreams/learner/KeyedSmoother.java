package io.rnnstreams.learner;

import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.eval.detection.LaggedScore;
import io.rnnstreams.eval.detection.LaggedVerdict;
import io.rnnstreams.model.CompactState;
import io.rnnstreams.model.FixedLagSmoothing;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.SmootherConfig;
import io.rnnstreams.model.SmootherModel;
import io.rnnstreams.model.SmootherState;

/**
 * The stream's fixed-lag smoothing ({@code rnn.smoothing.lag=L}) without Kafka: one accepted reading of one key goes
 * to the {@link SmootherModel} its {@link ModelScope} gives that key, through {@link FixedLagSmoothing#observe}, which
 * judges the key's reading {@code L} back from both its sides; that reading and the smoother's residual for it then
 * feed the key's lagged {@link AnomalyDetector} (the online detector's configuration), as the accuracy suite's lagged
 * detector does ({@code accuracy.SmootherDetectors#lagged}). Once the key's online evidence ({@link
 * AnomalyDetector.Result#evidence}) and signals of the reading are known, {@link #verdict} gives the judged reading's
 * lagged verdict ({@link LaggedVerdict}: its lagged score, {@link LaggedScore}, from the online verdicts on it and its
 * {@code L} successors, that score onset-dated, and its lagged alarm; the two-sided detector's verdict is emitted
 * beside it, not part of it), computed as the {@code detection} command's lagged rows compute it. A trained model goes
 * back to the {@link ModelRepository}; the caller keeps each key's {@link KeyState}.
 *
 * <p>A gap in the key's readings ({@link #restart}) starts its smoother afresh (a new {@link SmootherState}: states,
 * window and normaliser; the weights and the lagged detector are kept): the up to {@code L} readings before the gap
 * that were not yet judged are never judged, and the first {@code L} after it are judged as a new key's are.
 *
 * <p>Deterministic; one instance per stream task (or in-process run). Not thread-safe.
 */
public final class KeyedSmoother {
    private final SmootherConfig config;
    private final Models<SmootherModel> models;
    private final Models.Kind<SmootherModel> kind;
    private final FixedLagSmoothing smoothing;
    private final AnomalyDetector detector;
    private final LaggedVerdict laggedVerdict;
    /** The doubles of an exported state written before the lagged score's (no {@link KeyState#verdict}). */
    private final int exactWithoutScore;
    /** The doubles of an exported state written with the lagged score's alone (before the dating and the alarm). */

    /**
     * @param scope      which keys share the smoother's weights
     * @param config     the smoother's configuration (its lag {@code L})
     * @param repository where trained models are stored and read back
     * @param cacheSize  key scope: models kept deserialised in memory
     * @param budget     key scope: the bytes of cached models the whole process may hold
     * @param detection  the lagged anomaly detector's settings
     */
    public KeyedSmoother(ModelScope scope, SmootherConfig config, ModelRepository repository, int cacheSize,
                         ModelCacheBudget budget, DetectorConfig detection) {
        this(scope, config, repository, cacheSize, budget, detection, null);
    }

    /**
     * @param initial where a model without a stored state starts: the seeded initialisation of {@code config}
     *                ({@code new SmootherModel(config).exportState()}) made once, e.g. when the topology is built,
     *                so that no stream thread pays for it; null to make it at the first such model
     */
    public KeyedSmoother(ModelScope scope, SmootherConfig config, ModelRepository repository, int cacheSize,
                         ModelCacheBudget budget, DetectorConfig detection, ModelSnapshot initial) {
        this.config = config;
        this.kind = Models.smoother(config);
        this.models = Models.of(scope, kind, repository, cacheSize, budget, initial);
        this.smoothing = new FixedLagSmoothing(config);
        this.detector = new AnomalyDetector(detection, config.channels());
        this.laggedVerdict = LaggedVerdict.of(config.lag(), detection);
        this.exactWithoutScore = exportState(newKey()).exact().length - LaggedVerdict.stateSize(config.lag());
    }

    public SmootherConfig config() {
        return config;
    }

    /**
     * One key's state: its smoother's, its lagged detector's, its lagged verdict's ({@link LaggedVerdict}: the
     * online tails and signals of its last {@code L + 1} readings, the onset's CUSUM, the lagged alarm's gate, the
     * ranking's flagged runs and the dated score's gate), the event times of its last {@code L + 1} readings.
     */
    public static final class KeyState {
        SmootherState smoother;
        final double[] detector;
        double[] verdict;
        /** {@code eventTimes[n % (L + 1)]}: the event time of the key's reading {@code n} (1-based). */
        final long[] eventTimes;
        long readings;
        long modelVersion;

        KeyState(SmootherConfig config, double[] detector, double[] verdict) {
            this.smoother = new SmootherState(config);
            this.detector = detector;
            this.verdict = verdict;
            this.eventTimes = new long[config.lag() + 1];
        }

        /** Readings of the key this state has seen (a gap does not reset the count). */
        public long readings() {
            return readings;
        }
    }

    /**
     * The judgement of one earlier reading of a key.
     *
     * @param eventTime the judged reading's event time
     * @param sequence  the judged reading's number among the key's readings (1-based: the {@code readingsLearned} of
     *                  its prediction when the key's learner started with the smoother)
     * @param smoothed  its smoothed value from both sides, de-normalised ({@link FixedLagSmoothing.Smoothed#value})
     * @param residual  the reading minus {@code smoothed}
     * @param verdict   the lagged detector's verdict on the reading and that residual (the two-sided test; its
     *                  score is {@code LaggedOutput.laggedScore}, not part of {@link LaggedScore})
     */
    public record Lagged(long eventTime, long sequence, double[] smoothed, double[] residual,
                         AnomalyDetector.Result verdict) {
    }

    /**
     * What one reading did: the judgement of the key's reading {@code L} back (null while the key, or its smoother
     * since a gap, has seen {@code L} readings or fewer), and whether the smoother's model trained.
     *
     * @param updates  weight updates applied by this reading's training (0 or 1)
     * @param restores updates refused or undone by it (0 or 1)
     */
    public record Step(Lagged lagged, long updates, long restores) {
    }

    /** A new key's state. */
    public KeyState newKey() {
        return new KeyState(config, detector.newState(), laggedVerdict.newState());
    }

    /**
     * Observes one valid reading of {@code key}, at {@code eventTime}.
     *
     * @param state the key's state, updated in place
     */
    public Step observe(String key, KeyState state, double[] reading, long eventTime) {
        SmootherModel model = models.forKey(key, state.modelVersion);
        long updatesBefore = model.updates();
        long restoresBefore = model.restores();
        long versionBefore = kind.version(model);
        int ring = state.eventTimes.length;
        state.readings++;
        state.eventTimes[(int) (state.readings % ring)] = eventTime;
        FixedLagSmoothing.Smoothed smoothed = smoothing.observe(model, state.smoother, reading);
        state.modelVersion = kind.version(model);
        if (state.modelVersion != versionBefore) {
            models.trained(key, model); // trained on this reading's window (applied or refused)
        }
        Lagged lagged = null;
        if (smoothed != null) {
            long sequence = state.readings - config.lag();
            double[] judged = state.smoother.reading(smoothed.reading());
            AnomalyDetector.Result verdict = detector.update(state.detector, judged, smoothed.residual());
            lagged = new Lagged(state.eventTimes[(int) (sequence % ring)], sequence, smoothed.value(),
                    smoothed.residual(), verdict);
        }
        return new Step(lagged, model.updates() - updatesBefore, model.restores() - restoresBefore);
    }

    /**
     * The lagged verdict ({@link LaggedVerdict}) on the reading {@code step} judged, from the online evidence and
     * signals of the reading that made {@code step}: call once per reading, after {@link #observe}, whether it judged
     * one or not (the online evidence and signals of the key's last {@code L + 1} readings are kept, and the lagged
     * alarm's gate takes every reading's verdict, as the {@code detection} rows' does). A gap does not restart it: the
     * judged reading is always the key's reading {@code L} back (so a lagged alarm on one of the {@code L} readings
     * after a gap, which the restarted smoother does not judge, is not emitted).
     *
     * @param evidence      the key's online evidence of this reading ({@link AnomalyDetector.Result#evidence}: its
     *                      score before the standing event's ranking, which {@code Prediction.anomalyScore} carries)
     * @param onlineSignals the online detector's signals for it ({@link AnomalyDetector.Result#signals})
     * @return the judged reading's verdict, its scores 0 until the key has {@code L + 1} online evidences (e.g. after a
     *         state stored before the lagged score); null if {@code step} judged no reading
     */
    public LaggedVerdict.Result verdict(KeyState state, Step step, double evidence, int onlineSignals) {
        LaggedVerdict.Result verdict = laggedVerdict.update(state.verdict, evidence, onlineSignals);
        if (step.lagged() == null) {
            return null;
        }
        return new LaggedVerdict.Result(zeroIfNaN(verdict.score()), zeroIfNaN(verdict.dated()), verdict.signals(),
                verdict.alarm(), zeroIfNaN(verdict.evidence()), zeroIfNaN(verdict.datedEvidence()),
                verdict.datedAlarm());
    }

    private static double zeroIfNaN(double score) {
        return Double.isNaN(score) ? 0.0 : score;
    }

    /** After a gap in the key's readings: its smoother starts afresh (see the class comment). */
    public void restart(KeyState state) {
        state.smoother = new SmootherState(config);
    }

    /**
     * The key's state in stored form, every number exact: the smoother's ({@link SmootherState#writeState}), then
     * the lagged detector's state, then the lagged verdict's ({@link LaggedVerdict}, the lagged score's doubles
     * first); counters: the smoother's, then the reading count, the model version and the
     * last {@code L + 1} event times. {@link #restore} of it continues bit for bit.
     */
    public CompactState exportState(KeyState state) {
        CompactState.Writer out = new CompactState.Writer();
        state.smoother.writeState(out);
        out.exact(state.detector);
        out.exact(state.verdict);
        out.counter(state.readings).counter(state.modelVersion);
        for (long t : state.eventTimes) {
            out.counter(t);
        }
        return out.build();
    }

    /**
     * A key's state read from {@link #exportState}'s form; one written before the lagged score (without its
     * doubles) keeps everything else and starts the lagged verdict afresh; one written with the lagged score's
     * doubles alone (before the onset dating and the lagged alarm, {@code LaggedOutput} v2) keeps the lagged score
     * too and starts the signals, the dating and the alarm's gate afresh; one written before the lagged scores' ranking
     * (a verdict of {@code 3L + 11} doubles) keeps the whole verdict and starts the ranking afresh ({@link
     * LaggedVerdict#readPrefix}).
     *
     * @throws IllegalArgumentException if it does not fit this configuration (another lag or shape)
     */
    public KeyState restore(CompactState stored) {
        KeyState state = newKey();
        CompactState.Reader in = new CompactState.Reader(stored);
        state.smoother.readState(in);
        in.exact(state.detector);
        int exact = stored.exact().length;
        if (exact != exactWithoutScore) {
            if (exact < exactWithoutScore) {
                throw new IllegalArgumentException("a smoother's state of lag " + config.lag() + " has at least "
                        + exactWithoutScore + " exact doubles, got " + exact);
            }
            double[] verdict = new double[exact - exactWithoutScore]; // a layout of LaggedVerdict's, or readPrefix throws
            in.exact(verdict);
            state.verdict = laggedVerdict.readPrefix(verdict);
        }
        state.readings = in.counter();
        state.modelVersion = in.counter();
        for (int i = 0; i < state.eventTimes.length; i++) {
            state.eventTimes[i] = in.counter();
        }
        in.finish();
        return state;
    }

    /** Forgets {@code key}'s own model (key scope), in memory and in the repository. */
    public void remove(String key) {
        models.remove(key);
    }

    /** Drops the cached models, returning their bytes to the budget; call when the task closes. */
    public void close() {
        models.close();
    }
}

package io.rnnstreams.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SmootherKeyState;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.eval.PredictionIntervals;
import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.LaggedVerdict;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.KeyedForecaster;
import io.rnnstreams.learner.KeyedSeq2Seq;
import io.rnnstreams.learner.KeyedSmoother;
import io.rnnstreams.learner.ModelIdentity;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.learner.TypicalInterval;
import io.rnnstreams.model.CompactState;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.Normaliser;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.Seq2SeqState;
import io.rnnstreams.model.SequenceSnapshot;
import io.rnnstreams.model.SequenceState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One record's way through: validate, load the key's state, test the previous forecast, learn, advance,
 * forecast, emit, store. Every input record leaves as exactly one {@link Prediction} (to
 * {@link ForecastTopology#PREDICTIONS_SINK}) or one dead letter with its original bytes (to
 * {@link ForecastTopology#DEAD_LETTER_SINK}); a dead letter leaves the key's state untouched. The key's state after
 * a reading is written to the key-state store at the task's next commit ({@link KeyStateWrite},
 * {@link PendingWritesStore}): a key read many times between two commits has its record built and encoded once.
 *
 * <p>A punctuator on wall-clock time removes keys that this task has not seen a reading of for longer than the
 * retention; their state is deleted, which writes tombstones to the changelogs. Idleness is not measured in
 * stream (event) time: one sensor with a clock ahead, or an old series replayed after a newer one in the same
 * partition, would make every other key look idle and delete its state, and a rerun of the same historical
 * data could remove other keys at other readings. When each key was last seen is kept in memory only (about
 * 100 bytes per key): after a restart or a task move every stored key starts a new retention at the first scan.
 * The scan reads the store as of the last commit: a key first seen since then is scanned after the next commit.
 */
final class ForecastProcessor implements Processor<String, RawReading, String, Object> {
    private static final Logger log = LoggerFactory.getLogger(ForecastProcessor.class);
    /** How often the per-reading metrics' batches are recorded at the latest ({@link ProcessorMetrics#flush}). */
    static final Duration METRICS_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final StreamSettings settings;
    private final ModelSnapshot initialModel;
    private final ModelSnapshot initialSmoother;
    private final String fingerprint;
    private ProcessorContext<String, Object> context;
    /** The task's key-state store: each reading's write waits for the commit ({@link PendingWritesStore}). */
    private PendingWritesStore<KeyState> keyStates;
    private KeyedForecaster forecaster;
    /** The hybrid learner when {@code rnn.learner=hybrid} (then {@link #forecaster} is null), else null. */
    private HybridForecaster hybrid;
    /**
     * The hybrid key states this task stored last ({@code rnn.learner=hybrid}): a held key's reading skips the store's
     * get, decoding and restore. Cleared in {@link #init} and {@link #close}.
     */
    private final HeldKeyStates heldStates;
    /** The hybrid learner's state after the record being handled, for {@link #putKeyState}; null otherwise. */
    private HybridForecaster.KeyState hybridState;
    /** The encoder-decoder when {@code rnn.forecast.mode=seq2seq} (then {@link #forecaster} is null), else null. */
    private KeyedSeq2Seq seq2seq;
    /** The fixed-lag smoother when {@code rnn.smoothing.lag > 0}, beside whichever learner forecasts; else null. */
    private KeyedSmoother smoother;
    /** The smoother's state after the record being handled, for {@link #putKeyState}; null when smoothing is off. */
    private SmootherKeyState smoothed;
    private AnomalyDetector anomaly;
    private TypicalInterval gaps;
    private final PredictionIntervals intervals = new PredictionIntervals(PredictionIntervals.DEFAULT_LEVEL);
    private final PredictionDetails.ChannelNames channelNames = new PredictionDetails.ChannelNames();
    private final ReadingValidator validator;
    private ProcessorMetrics metrics;
    /** The producer's max.request.size: a dead letter is cut to fit it (see {@link DeadLetters#fit}). */
    private int maxRequestSize;
    private final MeterRegistry meterRegistry;
    /** Wall-clock time at which this task last saw a reading of each key (or first scanned it). */
    private final Map<String, Long> lastSeen = new HashMap<>();

    private final ModelCacheBudget modelCacheBudget;
    private final PendingWritesStore.Registry<ModelState> modelStores;
    private final PendingWritesStore.Registry<KeyState> keyStateStores;

    /**
     * @param modelStores    where the task finds its model store, for writes at the commit ({@link PendingWritesStore})
     * @param keyStateStores where the task finds its key-state store, for writes at the commit
     */
    ForecastProcessor(StreamSettings settings, InitialModels initial, ModelCacheBudget modelCacheBudget,
                      MeterRegistry meterRegistry, PendingWritesStore.Registry<ModelState> modelStores,
                      PendingWritesStore.Registry<KeyState> keyStateStores) {
        this.heldStates = new HeldKeyStates(settings.limits().heldKeys());
        this.modelStores = modelStores;
        this.keyStateStores = keyStateStores;
        this.settings = settings;
        this.modelCacheBudget = modelCacheBudget;
        this.meterRegistry = meterRegistry;
        this.initialModel = initial.learner();
        this.initialSmoother = initial.smoother();
        this.fingerprint = settings.modelFingerprint();
        this.validator = new ReadingValidator(settings);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // a revived task (closed dirty after a failed commit) must read its rolled-back store, not what it held
        heldStates.clear();
        // the processor's own handle (Kafka's read-write decorator) connects it to the store; writes go to the wrapper
        context.getStateStore(ForecastTopology.KEY_STATE_STORE);
        this.keyStates = Objects.requireNonNull(keyStateStores.forTask(context.taskId()),
                "no key-state store open for task " + context.taskId());
        KeyValueStore<String, ModelState> modelStore = context.getStateStore(ForecastTopology.MODEL_STORE);
        LearnerConfig modelConfig = settings.modelConfig();
        StoreModelRepository repository = new StoreModelRepository(modelStore, settings.modelIdentity(),
                modelStores.forTask(context.taskId()));
        if (settings.learnerChoice().hybrid()) {
            this.hybrid = HybridLearners.of(settings, repository, modelCacheBudget, initialModel);
        } else if (settings.seq2seq()) {
            this.seq2seq = new KeyedSeq2Seq(settings.scope(), settings.seq2seqConfig(), repository,
                    settings.modelCacheSize(), modelCacheBudget, initialModel);
        } else {
            this.forecaster = new KeyedForecaster(settings.scope(), modelConfig, repository,
                    settings.modelCacheSize(), modelCacheBudget, initialModel);
        }
        if (settings.smoothing().on()) {
            KeyValueStore<String, ModelState> smootherStore =
                    context.getStateStore(ForecastTopology.SMOOTHER_MODEL_STORE);
            this.smoother = new KeyedSmoother(settings.scope(), settings.smootherConfig(), new StoreModelRepository(
                    smootherStore, ModelIdentity.of(settings.smootherConfig(), settings.scope())),
                    settings.modelCacheSize(), modelCacheBudget, settings.anomaly(), initialSmoother);
        }
        this.anomaly = new AnomalyDetector(settings.anomaly(), settings.channels());
        this.gaps = new TypicalInterval(settings.gapMultiple(), settings.gapReset().toMillis());
        this.metrics = new ProcessorMetrics(context.metrics(), context.taskId().toString(), meterRegistry);
        this.maxRequestSize = DeadLetters.maxRequestSize(context.appConfigs());
        context.schedule(settings.idleScanInterval(), PunctuationType.WALL_CLOCK_TIME, this::removeIdleKeys);
        // the per-reading metrics' batches: at every commit, and every second (under at_least_once a commit may be
        // 30 s away)
        keyStates.atFlush(metrics::flush);
        context.schedule(METRICS_FLUSH_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> metrics.flush());
    }

    /** Handles one record and records its processing time (dead letters included). */
    @Override
    public void process(Record<String, RawReading> record) {
        long start = System.nanoTime();
        try {
            handle(record);
        } finally {
            metrics.processingTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * DESIGN's steps for one record: validate; load the key's state; test the previous forecast, remember, train
     * and advance through the learner; score the error; forecast the horizon; store; emit. Whichever learner runs
     * ({@link #learnPlain}, {@link #learnHybrid}, {@link #learnSeq2Seq}) does only the learner's part.
     */
    private void handle(Record<String, RawReading> record) {
        long now = context.currentSystemTimeMs();
        metrics.reading(now);
        ReadingValidator.Verdict reading = validator.check(record.key(), record.value(), now);
        if (!reading.accepted()) {
            deadLetter(record, reading.reason(), reading.detail());
            return;
        }
        String key = record.key();
        // taken out before the state changes: a reading that fails half-way leaves nothing of it held
        HeldKeyStates.Held held = heldStates.take(key);
        try {
            handle(record, reading, key, held);
        } catch (RuntimeException | Error e) {
            if (held != null) {
                // the held state's write, if still pending, exports the state when built (and its sensor and interval
                // states), and this reading may have changed them: Kafka Streams builds it even for a task it closes
                // dirty (its flush), so it must not be
                keyStates.dropPending(key, held.write());
            }
            throw e;
        }
    }

    /** {@link #handle(Record)} from the key's state on: {@code held} is the key's held state, taken out, or null. */
    private void handle(Record<String, RawReading> record, ReadingValidator.Verdict reading, String key,
                        HeldKeyStates.Held held) {
        // a held key's state is read from what the task wrote (no record built or decoded), any other from the store;
        // a held write's sensor and interval states are changed in place: it is replaced below, or dropped on failure
        KeyStateWrite written = held != null ? held.write() : null;
        KeyState stored = held != null ? null : keyStates.latest(key);
        boolean known = written != null || stored != null;
        if (known && isOutOfOrder(record, written != null ? written.lastEventTime()
                : stored.getLastEventTime().toEpochMilli(), reading.eventTime())) {
            heldStates.putBack(key, held);
            return;
        }
        SensorState sensor = written != null ? written.sensorState()
                : stored != null ? StateCodec.sensorState(stored, settings.channels())
                : SensorState.first(settings.channels());
        SmootherStep smoothing = smoother == null ? null : smooth(key, written != null ? written.smootherState()
                : stored != null ? StateCodec.smoother(stored) : null, sensor, reading);
        Learned learned = hybrid != null ? learnHybrid(key, stored, held, sensor, reading)
                : seq2seq != null ? learnSeq2Seq(key, stored, sensor, reading)
                : learnPlain(key, stored, sensor, reading);
        AnomalyDetector.Result verdict = score(learned.previousError(), reading.values(), learned.scales(), sensor);
        smoothed = smoothing == null ? null : emitLagged(key, reading, smoothing, verdict);
        double[] intervalState = predictionIntervals(written != null ? written.predictionIntervalState()
                : stored != null ? StateCodec.predictionIntervalState(stored, settings.channels())
                : PredictionIntervals.initialState(settings.channels()), learned.previousError());
        sensor.advance(reading.eventTime(), learned.modelVersion());
        putKeyState(key, new KeyStateWrite(learned.state(), sensor, intervalState, smoothed));
        lastSeen.put(key, context.currentSystemTimeMs());
        emit(record, reading.eventTime(), learned, verdict, intervalState, sensor);
    }

    /**
     * What a learner made of one reading, for the steps every learner shares.
     *
     * @param forecast      the forecast of the key's next reading
     * @param previousError this reading minus the previous forecast, or null when none preceded it
     * @param scales        each channel's spread before this reading: the scale of its error
     * @param readings      readings the key's learner has learned from
     * @param gapReset      whether a gap reset the key's recurrent state
     * @param horizon       the n-step forecast, empty when the horizon is 1
     * @param modelVersion  the version of the model the reading used
     * @param state         the learner's part of the key state to store, from an export made at the reading
     */
    private record Learned(double[] forecast, double[] previousError, double[] scales, long readings,
                           boolean gapReset, List<List<Double>> horizon, long modelVersion,
                           KeyStateWrite.LearnerPart state) {
    }

    /**
     * The plain RNN's part: its sequence is read from the key state's sequence fields (a new key's, or one another
     * learner ran, starts afresh); a gap resets its recurrent state; it forecasts the horizon by rollout.
     */
    private Learned learnPlain(String key, KeyState stored, SensorState sensor, ReadingValidator.Verdict reading) {
        SequenceState sequence = new SequenceState(settings.learner());
        boolean gapReset = false;
        if (stored != null && StateCodec.hasSequence(stored)) {
            sequence.importState(StateCodec.sequence(stored));
            gapReset = resetOnGap(sensor, reading, sequence::resetRecurrentState);
        }
        double[] scales = errorScales(sequence.normaliser());
        KeyedForecaster.Step step = forecaster.observe(key, sensor.modelVersion(), sequence, reading.values());
        Observation observation = step.observation();
        recordTraining(observation.trained(), step.updates(), step.restores());
        if (observation.healthReset()) {
            metrics.healthResets.record();
        }
        List<List<Double>> horizon = horizon(step, sequence);
        SequenceSnapshot exported = sequence.exportState();
        return new Learned(observation.forecast(), observation.previousError(), scales, sequence.readings(),
                gapReset, horizon, step.modelVersion(), (s, intervals) -> StateCodec.keyState(exported, s, intervals));
    }

    /**
     * The hybrid learner's part ({@code rnn.learner=hybrid}): its state is the one this task held since it stored
     * it, else read from the key state's {@code hybrid*} fields ({@link #loadHybrid}); a gap resets its recurrent
     * state; it forecasts one step.
     */
    private Learned learnHybrid(String key, KeyState stored, HeldKeyStates.Held held, SensorState sensor,
                                ReadingValidator.Verdict reading) {
        int d = settings.channels();
        HybridForecaster.KeyState state = held != null ? held.state() : loadHybrid(key, stored);
        hybridState = state;
        boolean gapReset = (held != null || stored != null)
                && resetOnGap(sensor, reading, state::resetRecurrentState);
        double[] x = reading.values();
        double[] previous = state.lastForecast();
        double[] error = null;
        double[] scales = new double[d];
        for (int i = 0; i < d; i++) {
            scales[i] = HybridForecaster.spread(state, i);
        }
        if (previous != null) {
            error = new double[d];
            for (int i = 0; i < d; i++) {
                error[i] = x[i] - previous[i];
            }
        }
        double[] forecast = hybrid.observe(key, state, x);
        HybridForecaster.Training training = state.lastTraining();
        recordTraining(training.trained(), training.updates(), training.restores());
        // exported when the store writes the key's state (once per commit) or reads it back, not at every reading:
        // the state does not change until the key's next reading, whose write replaces this one (HeldKeyStates)
        return new Learned(forecast, error, scales, state.readings(), gapReset, List.of(), state.modelVersion(),
                (s, intervals) -> StateCodec.keyState(hybrid.exportState(state), s, intervals));
    }

    /**
     * The encoder-decoder's part ({@code rnn.forecast.mode=seq2seq}): its state is read from the key state's
     * {@code seq2seq} field (a new key's, or one another learner ran, starts afresh); a gap resets its recurrent
     * state; its decoder's {@code N} forecasts are the horizon.
     */
    private Learned learnSeq2Seq(String key, KeyState stored, SensorState sensor,
                                 ReadingValidator.Verdict reading) {
        Seq2SeqState sequence = new Seq2SeqState(settings.seq2seqConfig());
        SequenceSnapshot storedSequence = stored == null ? null : StateCodec.seq2seq(stored);
        boolean gapReset = false;
        if (storedSequence != null) {
            sequence.importState(storedSequence);
            gapReset = resetOnGap(sensor, reading, sequence::resetRecurrentState);
        }
        double[] scales = errorScales(sequence.normaliser());
        KeyedSeq2Seq.Step step = seq2seq.observe(key, sensor.modelVersion(), sequence, reading.values());
        Observation observation = step.observation();
        recordTraining(observation.trained(), step.updates(), step.restores());
        if (observation.healthReset()) {
            metrics.healthResets.record();
        }
        List<List<Double>> horizon = new ArrayList<>(settings.horizon());
        for (double[] ahead : seq2seq.forecast(sequence, settings.horizon())) {
            horizon.add(PredictionDetails.avroDoubles(ahead));
        }
        SequenceSnapshot exported = sequence.exportState();
        return new Learned(observation.forecast(), observation.previousError(), scales, sequence.readings(),
                gapReset, horizon, step.modelVersion(),
                (s, intervals) -> StateCodec.seq2seqKeyState(exported, s, intervals));
    }

    /**
     * Whether the pause before this reading is a gap for the key ({@link TypicalInterval}: longer than
     * {@code rnn.time.gap-multiple} times its median interval, or than {@code rnn.time.gap-reset} until it has 3
     * intervals; the check remembers the interval); if so, {@code reset} resets the learner's recurrent state.
     */
    private boolean resetOnGap(SensorState sensor, ReadingValidator.Verdict reading, Runnable reset) {
        boolean gap = sensor.isGap(reading.eventTime(), gaps);
        if (gap) {
            reset.run();
            metrics.gapResets.record();
        }
        return gap;
    }

    /**
     * The fixed-lag smoother's step ({@code rnn.smoothing.lag > 0}), beside whichever learner forecasts: the key's
     * smoother state is read from the key state's {@code smoother} field (a new key's, or one that does not fit the
     * settings, starts afresh), a gap restarts it ({@link KeyedSmoother#restart}); the judgement of the key's
     * reading {@code L} back, if there is one, is emitted by {@link #emitLagged} once this reading's online score is
     * known.
     */
    private SmootherStep smooth(String key, CompactState compact, SensorState sensor,
                                ReadingValidator.Verdict reading) {
        KeyedSmoother.KeyState state = null;
        if (compact != null) {
            try {
                state = smoother.restore(compact);
            } catch (IllegalArgumentException e) {
                log.warn("sensor {}: its stored smoother state does not fit the settings ({}); it starts afresh", key,
                        e.getMessage());
            }
        }
        if (state == null) {
            state = smoother.newKey();
        } else if (reading.eventTime() - sensor.lastEventTime() > gaps.limitMs(sensor.intervals())) {
            // the gap test of SensorState#isGap, without remembering the interval: the learner's test does that
            smoother.restart(state);
        }
        return new SmootherStep(state, smoother.observe(key, state, reading.values(), reading.eventTime()));
    }

    /** A key's smoother state and its step on this reading ({@link #smooth}). */
    private record SmootherStep(KeyedSmoother.KeyState state, KeyedSmoother.Step step) {
    }

    /**
     * The smoother's judgement of the key's reading {@code L} back, if its step made one, to
     * {@link ForecastTopology#LAGGED_SINK}, stamped with this reading's event time (when it became known), its lagged
     * score, onset-dated score and lagged alarm from this reading's online evidence and signals
     * ({@link KeyedSmoother#verdict}; the evidence, {@link AnomalyDetector.Result#evidence}, is the online score before
     * its standing event's ranking: the lagged verdict reads it as a tail probability).
     *
     * @return the smoother's state after this reading, to store with the key's state
     */
    private SmootherKeyState emitLagged(String key, ReadingValidator.Verdict reading, SmootherStep smoothing,
                                        AnomalyDetector.Result online) {
        KeyedSmoother.KeyState state = smoothing.state();
        LaggedVerdict.Result verdict = smoother.verdict(state, smoothing.step(), online.evidence(), online.signals());
        KeyedSmoother.Lagged lagged = smoothing.step().lagged();
        if (lagged != null) {
            LaggedOutput out = LaggedOutput.newBuilder()
                    .setSensor(key)
                    .setEventTime(Instant.ofEpochMilli(lagged.eventTime()))
                    .setSequence(lagged.sequence())
                    .setLag(settings.smoothing().lag())
                    .setSmoothed(PredictionDetails.avroDoubles(lagged.smoothed()))
                    .setResidual(PredictionDetails.avroDoubles(lagged.residual()))
                    .setLaggedScore(lagged.verdict().score())
                    .setWarmingUp(lagged.verdict().warmingUp())
                    .setScore(verdict.score())
                    .setDated(verdict.dated())
                    .setAnomaly(verdict.alarm())
                    .build();
            context.forward(new Record<String, Object>(key, out, reading.eventTime()), ForecastTopology.LAGGED_SINK);
        }
        return StateCodec.smoother(smoother.exportState(state));
    }

    /**
     * Stores the key's state after this record (with the smoother's when smoothing is on) at the next commit
     * ({@link PendingWritesStore#putAtCommit}: built and encoded once per commit); the hybrid learner's is then held
     * ({@link HeldKeyStates}).
     */
    private void putKeyState(String key, KeyStateWrite write) {
        keyStates.putAtCommit(key, write);
        if (hybridState != null) {
            heldStates.keep(key, write, hybridState);
            hybridState = null;
        }
    }

    /** Counts a reading's training: one per applied or refused update (a reading trains at most once). */
    private void recordTraining(boolean trained, long updates, long restores) {
        if (trained) {
            if (updates > 0) {
                metrics.update();
            }
            if (restores > 0) {
                metrics.restore();
            }
        }
    }

    /**
     * The key's hybrid state: stored, or a new key's (also when the key's state was written by the plain RNN,
     * or by the hybrid under other shapes: {@code rnn.hybrid.*} or {@code rnn.model.*} changed).
     */
    private HybridForecaster.KeyState loadHybrid(String key, KeyState stored) {
        CompactState compact = stored == null ? null : StateCodec.hybrid(stored);
        if (compact == null) {
            return hybrid.newKey();
        }
        // restored into the state of a key no longer held, if there is one, not a new state per reading
        HybridForecaster.KeyState reuse = heldStates.spare();
        try {
            return hybrid.restore(compact, reuse != null ? reuse : hybrid.newKey());
        } catch (IllegalArgumentException e) {
            log.warn("sensor {}: its stored hybrid state does not fit the settings ({}); it starts afresh", key,
                    e.getMessage());
            return hybrid.newKey();
        }
    }

    /**
     * The key's prediction-interval state after taking this reading's one-step error (if a forecast preceded).
     *
     * @param intervalState the key's state before this reading (a fresh array: it is updated in place)
     */
    private double[] predictionIntervals(double[] intervalState, double[] previousError) {
        if (previousError != null) {
            intervals.update(intervalState, previousError);
        }
        return intervalState;
    }

    /** Dead-letters a reading that is not after the key's last one; true if it did. */
    private boolean isOutOfOrder(Record<String, RawReading> record, long last, long eventTime) {
        if (eventTime > last) {
            return false;
        }
        deadLetter(record, DeadLetterReason.OUT_OF_ORDER,
                "eventTime " + eventTime + " is not after the sensor's last reading at " + last);
        return true;
    }

    /** Each channel's spread before this reading (1 when inputs are not normalised): the scale of its error. */
    private double[] errorScales(Normaliser normaliser) {
        double[] scales = new double[settings.channels()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = settings.learner().normaliseInputs() ? normaliser.std(i) : 1.0;
        }
        return scales;
    }

    /**
     * Scores this reading: the prequential error metric (if a forecast preceded it), then the anomaly detector
     * on the reading and that error, and the key's error sums. Returns the detector's verdict.
     */
    private AnomalyDetector.Result score(double[] error, double[] reading, double[] scales, SensorState sensor) {
        if (error != null) {
            double scaledSquared = 0.0;
            for (int i = 0; i < error.length; i++) {
                double z = error[i] / scales[i];
                scaledSquared += z * z;
            }
            metrics.prequentialError(scaledSquared / error.length);
        }
        return sensor.detect(reading, error, anomaly);
    }

    /** The n-step rollout from the state after this reading, or none when the horizon is 1. */
    private List<List<Double>> horizon(KeyedForecaster.Step step, SequenceState sequence) {
        if (settings.horizon() <= 1) {
            return List.of();
        }
        double[][] rollout = forecaster.forecast(step, sequence, settings.horizon());
        List<List<Double>> steps = new ArrayList<>(rollout.length);
        for (double[] ahead : rollout) {
            steps.add(PredictionDetails.avroDoubles(ahead));
        }
        return steps;
    }

    /** Forwards the reading's {@link Prediction} to the predictions sink. */
    private void emit(Record<String, RawReading> record, long eventTime, Learned learned,
                      AnomalyDetector.Result verdict, double[] intervalState, SensorState sensor) {
        double[] forecast = learned.forecast();
        double[] previousError = learned.previousError();
        List<List<Double>> horizon = learned.horizon();
        // every field set here or by PredictionDetails.complete (a field left null would fail the encoding)
        Prediction prediction = new Prediction();
        prediction.setEventTime(Instant.ofEpochMilli(eventTime));
        prediction.setForecast(PredictionDetails.avroDoubles(forecast));
        prediction.setHorizon(horizon);
        prediction.setPreviousError(previousError == null ? null : PredictionDetails.avroDoubles(previousError));
        prediction.setAnomalyScore(verdict.score());
        prediction.setAnomaly(verdict.alarm());
        prediction.setWarmingUp(verdict.warmingUp());
        prediction.setChannelContributions(verdict.warmingUp() ? List.of()
                : PredictionDetails.avroDoubles(verdict.contributions()));
        prediction.setReadingsLearned(learned.readings());
        prediction.setModelFingerprint(fingerprint);
        prediction.setStateReset(learned.gapReset());
        PredictionDetails.complete(prediction, eventTime, forecast, horizon, intervalState, intervals.level(),
                sensor.intervals(), record.value().reading().getTags(), channelNames);
        // stamped with its event time (the extractor may have fallen back to the record's timestamp when the
        // wall clock moved past the bound between extraction and validation)
        // the input's headers are not copied: they may be large or secret (an authorization header)
        context.forward(new Record<String, Object>(record.key(), prediction, eventTime),
                ForecastTopology.PREDICTIONS_SINK);
        metrics.prediction();
    }

    private void deadLetter(Record<String, RawReading> record, DeadLetterReason reason, String detail) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        Headers headers = DeadLetters.headers(reason, detail, meta == null ? null : meta.topic(),
                meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset());
        String deadKey = reason == DeadLetterReason.KEY_TOO_LONG
                ? DeadLetters.cutKey(record.key(), settings.limits().maxKeyBytes(), headers) : record.key();
        byte[] key = deadKey == null ? null : deadKey.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = DeadLetters.fit(key, record.value() == null ? null : record.value().bytes(), headers,
                maxRequestSize);
        Record<String, Object> dead = new Record<>(deadKey, bytes, record.timestamp(), headers);
        context.forward(dead, ForecastTopology.DEAD_LETTER_SINK);
        metrics.deadLetter(reason);
        if (log.isDebugEnabled()) {
            log.debug("dead letter {} for key {}: {}", reason, record.key(), detail);
        }
    }

    /** Removes every stored key not seen for the retention before wall-clock time {@code now}. */
    private void removeIdleKeys(long now) {
        long cutoff = now - settings.idleRetention().toMillis();
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, KeyState> all = keyStates.all()) {
            while (all.hasNext()) {
                KeyValue<String, KeyState> entry = all.next();
                Long seen = lastSeen.putIfAbsent(entry.key, now);
                if (seen != null && seen < cutoff) {
                    idle.add(entry.key);
                }
            }
        }
        for (String key : idle) {
            lastSeen.remove(key);
            keyStates.delete(key);
            heldStates.forget(key);
            if (hybrid != null) {
                hybrid.remove(key);
            } else if (seq2seq != null) {
                seq2seq.remove(key);
            } else {
                forecaster.remove(key);
            }
            if (smoother != null) {
                smoother.remove(key);
            }
            metrics.idleRemovals.record();
        }
        if (!idle.isEmpty()) {
            log.info("task {}: removed {} sensors without a reading since before {} (wall clock; retention {})",
                    context.taskId(), idle.size(), Instant.ofEpochMilli(cutoff), settings.idleRetention());
        }
    }

    @Override
    public void close() {
        heldStates.clear();
        if (forecaster != null) {
            forecaster.close();
        }
        if (hybrid != null) {
            hybrid.close();
        }
        if (seq2seq != null) {
            seq2seq.close();
        }
        if (smoother != null) {
            smoother.close();
        }
        if (metrics != null) {
            if (keyStates != null) {
                keyStates.atFlush(null);
            }
            metrics.close();
        }
    }
}

package io.rnnstreams.stream;

import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.KeyedForecaster;
import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.PackedDoubles;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.eval.AnomalyScore;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.SequenceState;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
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
 * {@link ForecastTopology#DEAD_LETTER_SINK}); a dead letter leaves the key's state untouched.
 *
 * <p>A punctuator on stream (event) time removes keys idle longer than the retention; their state is
 * deleted, which writes tombstones to the changelogs.
 */
final class ForecastProcessor implements Processor<String, RawReading, String, Object> {
    private static final Logger log = LoggerFactory.getLogger(ForecastProcessor.class);

    private final StreamSettings settings;
    private final ModelSnapshot initialModel;
    private final String fingerprint;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, KeyState> keyStates;
    private KeyedForecaster forecaster;
    private AnomalyScore anomaly;
    private ProcessorMetrics metrics;
    /** The producer's max.request.size: a dead letter is cut to fit it (see {@link DeadLetters#fit}). */
    private int maxRequestSize;
    private final MeterRegistry meterRegistry;

    ForecastProcessor(StreamSettings settings, ModelSnapshot initialModel, MeterRegistry meterRegistry) {
        this.settings = settings;
        this.meterRegistry = meterRegistry;
        this.initialModel = initialModel;
        this.fingerprint = settings.learner().fingerprint();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.keyStates = context.getStateStore(ForecastTopology.KEY_STATE_STORE);
        KeyValueStore<String, ModelState> modelStore = context.getStateStore(ForecastTopology.MODEL_STORE);
        this.forecaster = new KeyedForecaster(settings.scope(), settings.learner(),
                new StoreModelRepository(modelStore, fingerprint), settings.modelCacheSize(), initialModel);
        this.anomaly = new AnomalyScore(settings.anomalyShort(), settings.anomalyLong());
        this.metrics = new ProcessorMetrics(context.metrics(), context.taskId().toString(), meterRegistry);
        this.maxRequestSize = DeadLetters.maxRequestSize(context.appConfigs());
        context.schedule(settings.idleScanInterval(), PunctuationType.STREAM_TIME, this::removeIdleKeys);
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

    private void handle(Record<String, RawReading> record) {
        metrics.readings.record();
        String key = record.key();
        RawReading raw = record.value();
        if (key == null) {
            deadLetter(record, DeadLetterReason.NULL_KEY, "a reading must be keyed by its sensor id");
            return;
        }
        if (raw == null) {
            deadLetter(record, DeadLetterReason.NULL_VALUE, "tombstone (null value) on a sensor topic");
            return;
        }
        SensorReading reading = raw.reading();
        if (reading == null) {
            deadLetter(record, DeadLetterReason.DESERIALIZATION, raw.decodeError());
            return;
        }
        long eventTime = reading.getEventTime().toEpochMilli();
        if (eventTime < 0) {
            deadLetter(record, DeadLetterReason.MISSING_TIMESTAMP, "eventTime " + eventTime + " is negative");
            return;
        }
        List<Double> values = reading.getValues();
        if (values.size() != settings.channels()) {
            deadLetter(record, DeadLetterReason.WRONG_DIMENSION,
                    "reading has " + values.size() + " channels, expected " + settings.channels());
            return;
        }
        double[] x = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = values.get(i);
            if (!Double.isFinite(x[i])) {
                deadLetter(record, DeadLetterReason.NON_FINITE, "channel " + i + " is " + x[i]);
                return;
            }
            if (Math.abs(x[i]) > settings.maxAbsValue()) {
                deadLetter(record, DeadLetterReason.OUT_OF_RANGE,
                        "channel " + i + " is " + x[i] + ", beyond +-" + settings.maxAbsValue());
                return;
            }
        }

        KeyState stored = keyStates.get(key);
        SequenceState sequence = new SequenceState(settings.learner());
        double[] errorStats = new double[AnomalyScore.STATE_SIZE];
        double[] errorAbsSum = new double[x.length];
        double[] errorSquaredSum = new double[x.length];
        long errorCount = 0;
        long modelVersion = 0;
        boolean gapReset = false;
        if (stored != null) {
            long last = stored.getLastEventTime().toEpochMilli();
            if (eventTime <= last) {
                deadLetter(record, DeadLetterReason.OUT_OF_ORDER,
                        "eventTime " + eventTime + " is not after the sensor's last reading at " + last);
                return;
            }
            sequence.importState(StateCodec.sequence(stored));
            if (stored.getErrorStats().remaining() > 0) { // empty in state written before the anomaly score
                PackedDoubles.unpackInto(stored.getErrorStats().duplicate(), errorStats);
            }
            modelVersion = stored.getModelVersion();
            // empty in state written before the sums were kept: they then count from here
            if (stored.getErrorAbsSum().remaining() == 8 * x.length
                    && stored.getErrorSquaredSum().remaining() == 8 * x.length) {
                PackedDoubles.unpackInto(stored.getErrorAbsSum().duplicate(), errorAbsSum);
                PackedDoubles.unpackInto(stored.getErrorSquaredSum().duplicate(), errorSquaredSum);
                errorCount = stored.getErrorCount();
            }
            if (eventTime - last > settings.gapReset().toMillis()) {
                sequence.resetRecurrentState();
                gapReset = true;
                metrics.gapResets.record();
            }
        }

        // each channel's spread before this reading: the scale of its forecast error
        double[] scales = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            scales[i] = settings.learner().normaliseInputs() ? sequence.normaliser().std(i) : 1.0;
        }
        KeyedForecaster.Step step = forecaster.observe(key, modelVersion, sequence, x);
        Observation observation = step.observation();
        if (observation.trained()) {
            // the counters count record() calls, whatever the value: one per applied or refused update
            // (a reading trains at most once)
            if (step.updates() > 0) {
                metrics.updates.record();
            }
            if (step.restores() > 0) {
                metrics.restores.record();
            }
        }
        if (observation.healthReset()) {
            metrics.healthResets.record();
        }

        double score = 0.0;
        List<Double> previousError = null;
        if (observation.previousError() != null) {
            double scaledSquared = 0.0;
            for (int i = 0; i < x.length; i++) {
                double z = observation.previousError()[i] / scales[i];
                scaledSquared += z * z;
            }
            metrics.prequentialError.record(scaledSquared / x.length);
            score = anomaly.update(errorStats, observation.previousError(), scales);
            for (int i = 0; i < x.length; i++) {
                double e = observation.previousError()[i];
                errorAbsSum[i] += Math.abs(e);
                errorSquaredSum[i] += e * e;
            }
            errorCount++;
            previousError = boxed(observation.previousError());
        }

        List<List<Double>> horizon = List.of();
        if (settings.horizon() > 1) {
            double[][] rollout = forecaster.forecast(step, sequence, settings.horizon());
            List<List<Double>> steps = new ArrayList<>(rollout.length);
            for (double[] ahead : rollout) {
                steps.add(boxed(ahead));
            }
            horizon = steps;
        }

        keyStates.put(key, StateCodec.keyState(sequence.exportState(), eventTime, errorStats, step.modelVersion(),
                score, errorCount, errorAbsSum, errorSquaredSum));
        Prediction prediction = Prediction.newBuilder()
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setForecast(boxed(observation.forecast()))
                .setHorizon(horizon)
                .setPreviousError(previousError)
                .setAnomalyScore(score)
                .setReadingsLearned(sequence.readings())
                .setModelFingerprint(fingerprint)
                .setStateReset(gapReset)
                .build();
        context.forward(record.withValue((Object) prediction), ForecastTopology.PREDICTIONS_SINK);
        metrics.predictions.record();
    }

    private void deadLetter(Record<String, RawReading> record, DeadLetterReason reason, String detail) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        Headers headers = DeadLetters.headers(reason, detail, meta == null ? null : meta.topic(),
                meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset());
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = DeadLetters.fit(key, record.value() == null ? null : record.value().bytes(), headers,
                maxRequestSize);
        Record<String, Object> dead = new Record<>(record.key(), bytes, record.timestamp(), headers);
        context.forward(dead, ForecastTopology.DEAD_LETTER_SINK);
        metrics.deadLetter(reason);
        if (log.isDebugEnabled()) {
            log.debug("dead letter {} for key {}: {}", reason, record.key(), detail);
        }
    }

    private void removeIdleKeys(long streamTime) {
        long cutoff = streamTime - settings.idleRetention().toMillis();
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, KeyState> all = keyStates.all()) {
            while (all.hasNext()) {
                KeyValue<String, KeyState> entry = all.next();
                if (entry.value.getLastEventTime().toEpochMilli() < cutoff) {
                    idle.add(entry.key);
                }
            }
        }
        for (String key : idle) {
            keyStates.delete(key);
            forecaster.remove(key);
            metrics.idleRemovals.record();
        }
        if (!idle.isEmpty()) {
            log.info("task {}: removed {} sensors idle since before {} (retention {})", context.taskId(), idle.size(),
                    Instant.ofEpochMilli(cutoff), settings.idleRetention());
        }
    }

    private static List<Double> boxed(double[] a) {
        List<Double> list = new ArrayList<>(a.length);
        for (double v : a) {
            list.add(v);
        }
        return list;
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}

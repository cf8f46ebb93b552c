package io.rnnstreams.stream;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.Seq2SeqState;
import io.rnnstreams.model.SequenceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The largest changelog records the settings imply, checked against the producer's {@code max.request.size}
 * at start-up (issue 12 item 4): a model record (weights and optimizer state, {@code 8 (P + S)} bytes for
 * {@code P} parameters and {@code S} optimizer doubles) or a key-state record (a full TBPTT window of
 * {@code k2} readings) that the producer or broker refuses stops the application after its first training,
 * at every start. Sizes are computed without building the network (an LSTM with {@code hidden=4096} would take
 * minutes to initialise): the model from the layer shapes, the key state by encoding a new key's state and
 * adding the window's doubles.
 */
public final class RecordSizes {
    /** Bytes besides the doubles in a window entry (Avro framing of the packed arrays), rounded up. */
    private static final int WINDOW_ENTRY_OVERHEAD = 16;

    private RecordSizes() {
    }

    /** Parameters of the network {@code config} describes: every layer's gates' weights and biases, and the head. */
    public static long parameterCount(NetworkConfig config) {
        long in = config.inputSize();
        long total = 0;
        for (int l = 0; l < config.depth(); l++) {
            long h = config.hiddenSize(l);
            long rows = (long) gates(config.cellType()) * h;
            total += rows * in + rows * h + rows * (config.cellType() == CellType.GRU ? 2 : 1);
            in = h;
        }
        return total + in * config.outputSize() + config.outputSize();
    }

    private static int gates(CellType cell) {
        switch (cell) {
            case ELMAN:
                return 1;
            case GRU:
                return 3;
            default:
                return 4;
        }
    }

    /** Optimizer doubles stored with the weights: 0 for SGD, P for momentum, 2P for Adam. */
    static long optimizerStateSize(LearnerConfig config, long parameters) {
        switch (config.optimizer().kind()) {
            case SGD:
                return 0;
            case MOMENTUM:
                return parameters;
            default:
                return 2 * parameters;
        }
    }

    /**
     * Parameters of the model the settings' model store holds: the network's, or with
     * {@code rnn.forecast.mode=seq2seq} the encoder's layers (its head is not used) and the decoder (the same
     * shapes, reading the reading alone) with its head.
     */
    public static long parameterCount(StreamSettings settings) {
        NetworkConfig network = settings.modelConfig().network();
        long p = parameterCount(network);
        if (!settings.seq2seq()) {
            return p;
        }
        long head = (long) network.hiddenSize(network.depth() - 1) * network.outputSize() + network.outputSize();
        return 2 * p - head;
    }

    /** Upper bound of the encoded model record's value in bytes. */
    public static long modelRecordBytes(LearnerConfig config, String fingerprint) {
        return modelRecordBytes(config, parameterCount(config.network()), fingerprint);
    }

    /** Upper bound of the encoded value of a model record of {@code p} parameters trained under {@code config}. */
    static long modelRecordBytes(LearnerConfig config, long p, String fingerprint) {
        long doubles = p + optimizerStateSize(config, p);
        byte[] empty = AvroSerde.of(ModelState.class).serializer().serialize("",
                StateCodec.modelState(new ModelSnapshot(1, new double[0], new double[0], Long.MAX_VALUE,
                        Long.MAX_VALUE, Long.MAX_VALUE), fingerprint));
        return empty.length + 8 * doubles + 2 * 10;
    }

    /** Upper bound of the encoded key-state record's value in bytes, with a full window of {@code k2} readings. */
    public static long keyStateRecordBytes(StreamSettings settings) {
        if (!settings.smoothing().on()) {
            return learnerStateRecordBytes(settings);
        }
        // the smoother's state has a fixed layout too: its doubles, its counters as varints of up to 10 bytes
        io.rnnstreams.learner.KeyedSmoother measure = new io.rnnstreams.learner.KeyedSmoother(settings.scope(),
                settings.smootherConfig(), io.rnnstreams.learner.ModelRepository.inMemory(), 1,
                io.rnnstreams.learner.ModelCacheBudget.unbounded(), settings.anomaly());
        io.rnnstreams.model.CompactState smoother = measure.exportState(measure.newKey());
        return learnerStateRecordBytes(settings) + 8L * smoother.exact().length + 10L * smoother.counters().length
                + WINDOW_ENTRY_OVERHEAD;
    }

    /** {@link #keyStateRecordBytes} without the smoother's part. */
    private static long learnerStateRecordBytes(StreamSettings settings) {
        LearnerConfig config = settings.learner();
        int d = settings.channels();
        if (settings.learnerChoice().hybrid()) {
            // the hybrid's state has a fixed layout (every ring and window slot is written from the start); its
            // counters are varints of up to 10 bytes
            io.rnnstreams.learner.HybridForecaster hybrid = hybrid(settings);
            io.rnnstreams.model.CompactState state = hybrid.exportState(hybrid.newKey());
            byte[] fresh = new AvroSerde<>(StateCodec.keyStateCodec()).serializer().serialize("",
                    StateCodec.keyState(state, SensorState.first(d)));
            return fresh.length + 10L * state.counters().length;
        }
        if (settings.seq2seq()) {
            // the encoder-decoder's state has a fixed layout (every window slot and forecast is written from the
            // start); its counters are varints of up to 10 bytes
            byte[] fresh = new AvroSerde<>(StateCodec.keyStateCodec()).serializer().serialize("",
                    StateCodec.seq2seqKeyState(new Seq2SeqState(settings.seq2seqConfig()).exportState(),
                            SensorState.first(d), new double[0]));
            return fresh.length + 10L * 5;
        }
        byte[] fresh = new AvroSerde<>(StateCodec.keyStateCodec()).serializer().serialize("",
                StateCodec.keyState(new SequenceState(config).exportState(), SensorState.first(d)));
        // each window entry holds an input and a target of D doubles
        return fresh.length + (long) config.k2() * (2L * 8 * d + WINDOW_ENTRY_OVERHEAD);
    }

    /** A hybrid forecaster of the settings' shapes, to measure its key state (no model is built). */
    private static io.rnnstreams.learner.HybridForecaster hybrid(StreamSettings settings) {
        return new io.rnnstreams.learner.HybridForecaster(settings.scope(), settings.modelConfig(),
                settings.learnerChoice().period(), settings.learnerChoice().arOrder(), true,
                io.rnnstreams.learner.ModelRepository.inMemory(), 1);
    }

    /**
     * Refuses settings whose largest record cannot be produced under {@code streamsConfig}'s
     * {@code max.request.size}.
     *
     * @throws ConfigException (exit code 2) naming the record, its size, the settings that make it, and the Kafka
     *                         settings to raise
     */
    public static void check(StreamSettings settings, Map<String, ?> streamsConfig) {
        int limit = DeadLetters.maxRequestSize(streamsConfig);
        long keyBytes = settings.limits().maxKeyBytes();
        List<String> errors = new ArrayList<>();
        LearnerConfig modelConfig = settings.modelConfig();
        long parameters = parameterCount(settings);
        long model = DeadLetters.RECORD_OVERHEAD + keyBytes + modelRecordBytes(modelConfig, parameters,
                settings.modelFingerprint());
        if (model > limit) {
            errors.add("a model record would take up to " + model + " bytes (" + parameters + " parameters and the " + modelConfig.optimizer().kind()
                    + " optimizer's state, 8 bytes each, from rnn.model.channels, rnn.model.cell, rnn.model.hidden, "
                    + "rnn.train.optimizer), more than max.request.size (" + limit + "): make the model smaller, "
                    + "or raise producer.max.request.size, the broker's message.max.bytes and the model changelog's "
                    + "max.message.bytes (topic.max.message.bytes)");
        }
        long keyState = DeadLetters.RECORD_OVERHEAD + keyBytes + keyStateRecordBytes(settings);
        if (keyState > limit) {
            errors.add("a key-state record would take up to " + keyState + " bytes (a window of rnn.train.k2="
                    + settings.learner().k2() + " readings of rnn.model.channels=" + settings.channels()
                    + " doubles, twice), more than max.request.size (" + limit + "): lower rnn.train.k2, or raise "
                    + "producer.max.request.size, the broker's message.max.bytes and the key-state changelog's "
                    + "max.message.bytes (topic.max.message.bytes)");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }
}

package io.rnnstreams.bench;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.stream.StateCodec;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The hybrid learner's cost per reading in process, one thread, in the shape of the broker bench's cell
 * {@code rnn/hybrid-shared/eos/100/32} ({@code rnn.learner=hybrid}, scope shared, D = 1, LSTM H = 32, k1 = k2 =
 * 16, no period, AR(8), or the corrector's shape {@link #corrector}; {@code keys} keys read in turn):
 * <ul>
 *   <li>{@code observe}: {@link HybridForecaster#observe} on a key state kept in memory (the learner alone,
 *       its training every k1 readings included);</li>
 *   <li>{@code storedReading}: what the stream does with the key's state around it: decode the stored
 *       {@link KeyState} bytes, read the sensor part and restore the hybrid state (into one reused state, as the
 *       processor does), observe, export and encode
 *       the key state again (no anomaly scoring, no prediction record, no Kafka, no RocksDB);</li>
 *   <li>{@code heldReading}: the same when the task holds the key's state as it last stored it (the processor's
 *       {@code HeldKeyStates}): the sensor part read from the record kept, the learner's state kept, no decoding and
 *       no restore; observe, export and encode as above (the stream before branch {@code tput18c});</li>
 *   <li>{@code heldAtCommit}: the held key as the processor writes it now ({@code KeyStateWrite},
 *       {@code PendingWritesStore}): observe (which rounds the state to its stored form in place), the sensor part
 *       copied from the one kept; the learner's state exported, the record built and encoded once per commit
 *       ({@value #READINGS_PER_COMMIT} readings, as {@code modelSave = commit}) for each key read since the last:
 *       with {@code keys = 100}, once per 8 readings of a key (before branch {@code tput18h} the export was made at
 *       every reading and kept for the commit).</li>
 * </ul>
 * The shared model goes where {@code modelSave} says: {@code none}, a repository in memory that keeps the export (the
 * accuracy command's); {@code each}, encoded as the topology's model store encodes it ({@code StateCodec.modelState}
 * and Avro) after every training, as before branch {@code tput18}; {@code commit}, encoded once per
 * {@value #READINGS_PER_COMMIT} readings (a 100 ms commit at ~8,000 readings/s), as {@code PendingWritesStore} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HybridBenchmark {
    private static final int WARM_UP_READINGS = 200;
    /** Readings between two commits for {@code modelSave = commit}. */
    static final int READINGS_PER_COMMIT = 800;

    @Param({"100"})
    public int keys;

    @Param({"none", "each", "commit"})
    public String modelSave;

    /**
     * The recurrent corrector's shape as {@code H/k1/k2}: {@code rnn.model.hidden}, {@code rnn.train.k1},
     * {@code rnn.train.k2}. Here {@code 32/16/16} unless given: the stream's default before branch {@code h16} and the
     * broker bench's cell above, as every figure of this benchmark documented before it was taken; the stream's
     * default hybrid corrector is {@code 16/16/16} since {@code h16} ({@code -p corrector=16/16/16}); branch
     * {@code tput18i} compares cheaper ones.
     */
    @Param({"32/16/16"})
    public String corrector;

    /** The topology's model store's encoding, without Kafka: see {@link #modelSave}. */
    private EncodingRepository repository;
    private int sinceCommit;

    private HybridForecaster learner;
    private SingleObjectCodec<KeyState> codec;
    private HybridForecaster.KeyState[] inMemory;
    private byte[][] stored;
    /** {@code heldReading}: each key's record and learner state as last stored. */
    private KeyState[] heldRecords;
    private HybridForecaster.KeyState[] heldStates;
    /** {@code heldAtCommit}: each key's learner state and sensor part as last written, and who is dirty. */
    private HybridForecaster.KeyState[] commitStates;
    private SensorState[] commitSensors;
    private boolean[] dirty;
    private int encodedAtCommit;
    /** The state restored into for each stored reading, as the processor reuses one. */
    private HybridForecaster.KeyState scratch;
    private String[] names;
    private int next;
    private long t;

    @Setup
    public void setup() {
        String[] shape = corrector.split("/");
        if (shape.length != 3) {
            throw new IllegalArgumentException("corrector: expected H/k1/k2, got " + corrector);
        }
        StreamSettings settings = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.model.scope", "shared",
                "rnn.model.hidden", shape[0], "rnn.train.k1", shape[1], "rnn.train.k2", shape[2])).streamSettings();
        repository = new EncodingRepository(modelSave, settings.modelIdentity().encode());
        learner = new HybridForecaster(settings.scope(), settings.modelConfig(), settings.learnerChoice().period(),
                settings.learnerChoice().arOrder(), true, HybridForecaster.ANCHORED,
                modelSave.equals("none") ? ModelRepository.inMemory() : repository, settings.modelCacheSize(),
                ModelCacheBudget.unbounded());
        codec = StateCodec.keyStateCodec();
        inMemory = new HybridForecaster.KeyState[keys];
        stored = new byte[keys][];
        heldRecords = new KeyState[keys];
        heldStates = new HybridForecaster.KeyState[keys];
        commitStates = new HybridForecaster.KeyState[keys];
        commitSensors = new SensorState[keys];
        dirty = new boolean[keys];
        names = new String[keys];
        for (int k = 0; k < keys; k++) {
            names[k] = "sensor-" + k;
            inMemory[k] = learner.newKey();
        }
        for (int i = 0; i < WARM_UP_READINGS * keys; i++) {
            observe();
            storedReading();
            heldReading();
            heldAtCommit();
        }
    }

    /** A deterministic noisy sine per key. */
    private static double reading(int key, long time) {
        return Math.sin(time * 0.05 + key) + 0.1 * Math.sin(time * 1.7 + 3 * key);
    }

    @Benchmark
    public double observe() {
        int k = next;
        next = (next + 1) % keys;
        t++;
        commitEvery();
        return learner.observe(names[k], inMemory[k], new double[] {reading(k, t)})[0];
    }

    @Benchmark
    public int storedReading() {
        int k = next;
        next = (next + 1) % keys;
        t++;
        commitEvery();
        HybridForecaster.KeyState state;
        SensorState sensor;
        if (stored[k] == null) {
            state = learner.newKey();
            sensor = SensorState.first(1);
        } else {
            KeyState record = codec.decode(stored[k]);
            sensor = StateCodec.sensorState(record, 1);
            if (scratch == null) {
                scratch = learner.newKey();
            }
            state = learner.restore(StateCodec.hybrid(record), scratch);
        }
        learner.observe(names[k], state, new double[] {reading(k, t)});
        sensor.advance(t, state.modelVersion());
        stored[k] = codec.encode(StateCodec.keyState(learner.exportState(state), sensor));
        return stored[k].length;
    }

    @Benchmark
    public int heldReading() {
        int k = next;
        next = (next + 1) % keys;
        t++;
        commitEvery();
        HybridForecaster.KeyState state = heldStates[k];
        SensorState sensor;
        if (state == null) {
            state = learner.newKey();
            sensor = SensorState.first(1);
        } else {
            sensor = StateCodec.sensorState(heldRecords[k], 1);
        }
        learner.observe(names[k], state, new double[] {reading(k, t)});
        sensor.advance(t, state.modelVersion());
        KeyState record = StateCodec.keyState(learner.exportState(state), sensor);
        byte[] encoded = codec.encode(record);
        heldRecords[k] = record;
        heldStates[k] = state;
        return encoded.length;
    }

    @Benchmark
    public int heldAtCommit() {
        int k = next;
        next = (next + 1) % keys;
        t++;
        commitEvery();
        HybridForecaster.KeyState state = commitStates[k];
        SensorState sensor;
        if (state == null) {
            state = learner.newKey();
            sensor = SensorState.first(1);
        } else {
            sensor = commitSensors[k].copy();
        }
        learner.observe(names[k], state, new double[] {reading(k, t)});
        sensor.advance(t, state.modelVersion());
        commitSensors[k] = sensor;
        commitStates[k] = state;
        dirty[k] = true;
        return encodedAtCommit;
    }

    /**
     * Every {@link #READINGS_PER_COMMIT} readings: writes the pending model ({@code modelSave = commit}) and builds
     * and encodes the key state of each key {@code heldAtCommit} read since the last commit.
     */
    private void commitEvery() {
        if (++sinceCommit == READINGS_PER_COMMIT) {
            sinceCommit = 0;
            repository.commit();
            for (int k = 0; k < keys; k++) {
                if (dirty[k]) {
                    dirty[k] = false;
                    // exported here, once per commit, as the processor's key-state store does since branch tput18h
                    encodedAtCommit = codec.encode(StateCodec.keyState(learner.exportState(commitStates[k]),
                            commitSensors[k])).length;
                }
            }
        }
    }

    /** A model repository that encodes each model it stores as the topology's model store does. */
    private static final class EncodingRepository implements ModelRepository {
        private final SingleObjectCodec<ModelState> codec = SingleObjectCodec.of(ModelState.class);
        private final boolean atCommit;
        private final String fingerprint;
        private Supplier<ModelSnapshot> pending;
        private String pendingKey;
        private int encodedBytes;

        EncodingRepository(String modelSave, String fingerprint) {
            this.atCommit = modelSave.equals("commit");
            this.fingerprint = fingerprint;
        }

        @Override
        public ModelSnapshot get(String key) {
            return null;
        }

        @Override
        public void put(String key, ModelSnapshot model) {
            encodedBytes = codec.encode(StateCodec.modelState(model, fingerprint)).length;
        }

        @Override
        public void putLatest(String key, Supplier<ModelSnapshot> latest) {
            if (atCommit) {
                pendingKey = key;
                pending = latest;
            } else {
                put(key, latest.get());
            }
        }

        void commit() {
            if (pending != null) {
                put(pendingKey, pending.get());
                pending = null;
            }
        }

        @Override
        public void delete(String key) {
        }
    }
}

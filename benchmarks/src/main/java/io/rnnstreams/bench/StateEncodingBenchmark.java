package io.rnnstreams.bench;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.Learner;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.SequenceSnapshot;
import io.rnnstreams.stream.StateCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-reading key state written and read as the schema has it (numeric vectors as Avro {@code bytes}
 * of packed little-endian doubles) against the same record with {@code array<double>} fields (boxed
 * {@code List<Double>} in Java), both from and to the engine's {@code double[]} arrays. Evidence for the
 * schema's choice of packed bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StateEncodingBenchmark {
    private static final String[] VECTORS = {"hiddenState", "anchor", "windowInputs", "windowTargets",
        "normaliserMean", "normaliserM2", "lastInput", "lastForecast", "errorStats"};

    @Param({"32", "128"})
    public int hidden;

    private SingleObjectCodec<KeyState> codec;
    private SequenceSnapshot snapshot;
    private double[] errorStats;
    private byte[] packed;
    private Schema arraySchema;
    private GenericDatumWriter<GenericRecord> arrayWriter;
    private GenericDatumReader<GenericRecord> arrayReader;
    private byte[] arrays;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Setup
    public void setup() throws IOException {
        LearnerConfig config = LearnerConfig.builder().network(NetworkConfig.builder().inputSize(8)
                .hiddenSizes(hidden).cellType(CellType.LSTM).build()).k1(16).k2(16).build();
        Learner learner = new Learner(config);
        for (int t = 0; t < 100; t++) {
            double[] x = new double[8];
            for (int i = 0; i < 8; i++) {
                x[i] = Math.sin(t * 0.1 + i);
            }
            learner.observe(x);
        }
        snapshot = learner.exportState().sequence();
        errorStats = new double[] {100, -1.2, 2.1, -1.1};
        codec = SingleObjectCodec.of(KeyState.class);
        packed = encodePacked();

        // the same record, every bytes vector as array<double>
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : KeyState.getClassSchema().getFields()) {
            boolean vector = java.util.Arrays.asList(VECTORS).contains(f.name());
            Schema type = vector ? Schema.createArray(Schema.create(Schema.Type.DOUBLE)) : f.schema();
            fields.add(new Schema.Field(f.name(), type, f.doc(), (Object) null));
        }
        arraySchema = Schema.createRecord("KeyStateArrays", null, "bench", false, fields);
        arrayWriter = new GenericDatumWriter<>(arraySchema);
        arrayReader = new GenericDatumReader<>(arraySchema);
        arrays = encodeArrays();
    }

    @Benchmark
    public byte[] encodePacked() {
        return codec.encode(StateCodec.keyState(snapshot, 1L, errorStats, 7L));
    }

    @Benchmark
    public SequenceSnapshot decodePacked() {
        return StateCodec.sequence(codec.decode(packed));
    }

    @Benchmark
    public byte[] encodeArrays() throws IOException {
        GenericRecord r = new GenericData.Record(arraySchema);
        r.put("stateVersion", 1);
        r.put("lastEventTime", 1L);
        r.put("hiddenState", boxed(snapshot.hiddenState()));
        r.put("anchor", boxed(snapshot.anchor()));
        r.put("windowInputs", boxed(snapshot.windowInputs()));
        r.put("windowTargets", boxed(snapshot.windowTargets()));
        r.put("windowCount", snapshot.windowCount());
        r.put("windowHead", snapshot.windowHead());
        r.put("pushesSinceUpdate", snapshot.pushesSinceUpdate());
        r.put("normaliserCount", snapshot.normaliserCount());
        r.put("normaliserMean", boxed(snapshot.normaliserMean()));
        r.put("normaliserM2", boxed(snapshot.normaliserM2()));
        r.put("lastInput", boxed(snapshot.lastInput()));
        r.put("hasLastInput", snapshot.hasLastInput());
        r.put("lastForecast", boxed(snapshot.lastForecast()));
        r.put("readings", snapshot.readings());
        r.put("errorStats", boxed(errorStats));
        r.put("modelVersion", 7L);
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        arrayWriter.write(r, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Benchmark
    public double[][] decodeArrays() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(arrays, decoder);
        GenericRecord r = arrayReader.read(null, decoder);
        double[][] vectors = new double[VECTORS.length][];
        for (int v = 0; v < VECTORS.length; v++) {
            @SuppressWarnings("unchecked")
            List<Double> list = (List<Double>) r.get(VECTORS[v]);
            double[] a = new double[list.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = list.get(i);
            }
            vectors[v] = a;
        }
        return vectors;
    }

    private static List<Double> boxed(double[] a) {
        List<Double> list = new ArrayList<>(a.length);
        for (double v : a) {
            list.add(v);
        }
        return list;
    }
}

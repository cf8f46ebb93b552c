package io.rnnstreams.stream;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A model on disk: an Avro object container file holding one {@link ModelState} (weights, optimizer
 * moments, counters, the fingerprint of the configuration it was trained under), readable by any Avro
 * tool. Written by {@code rnn-streams export-model}, read for {@code rnn.model.init}.
 */
public final class ModelFile {
    /** File metadata key naming what wrote the file. */
    public static final String SOURCE_METADATA = "rnn-streams.source";

    static {
        SingleObjectCodec.of(ModelState.class); // registers the generated class with Avro's class trust list
    }

    private ModelFile() {
    }

    /** Writes {@code state} to {@code file}, replacing it; {@code source} says where the model came from. */
    public static void write(Path file, ModelState state, String source) throws IOException {
        try (DataFileWriter<ModelState> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ModelState.class))) {
            writer.setMeta(SOURCE_METADATA, source);
            writer.create(ModelState.getClassSchema(), file.toFile());
            writer.append(state);
        }
    }

    /** @throws IOException if the file is not an Avro container of exactly one ModelState */
    public static ModelState read(Path file) throws IOException {
        try (DataFileReader<ModelState> reader = new DataFileReader<>(file.toFile(),
                new SpecificDatumReader<>(ModelState.class))) {
            if (!reader.hasNext()) {
                throw new IOException(file + " holds no model");
            }
            ModelState state = reader.next();
            if (reader.hasNext()) {
                throw new IOException(file + " holds more than one model");
            }
            return state;
        } catch (org.apache.avro.AvroRuntimeException | IOException e) {
            throw new IOException(file + " is not a model file: " + e.getMessage(), e);
        }
    }

    /**
     * The model in {@code file} as a snapshot for a model of {@code config}.
     *
     * @throws IllegalArgumentException if the file cannot be read or its model has another shape
     */
    public static ModelSnapshot load(Path file, LearnerConfig config) {
        ModelState state;
        try {
            state = read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("rnn.model.init: " + e.getMessage(), e);
        }
        ModelSnapshot snapshot = new ModelSnapshot(state.getStateVersion(), StateCodec.unpack(state.getParameters()),
                StateCodec.unpack(state.getOptimizerState()), state.getUpdates(), state.getRestores(),
                state.getOptimizerStep());
        try {
            new Model(config, null, snapshot); // checks version and every array's length
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rnn.model.init: the model in " + file + " does not fit this "
                    + "configuration (" + config.network() + "): " + e.getMessage(), e);
        }
        return snapshot;
    }
}

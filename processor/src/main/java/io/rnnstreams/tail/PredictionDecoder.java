package io.rnnstreams.tail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.ValueFormats;
import io.rnnstreams.stream.PredictionJson;
import io.rnnstreams.stream.StateCodec;
import io.rnnstreams.stream.registry.RegistrySerde;

/**
 * Turns one value of the predictions topic, in the configuration's {@code rnn.format.output}, into the
 * prediction's JSON object ({@link PredictionJson}). Not thread-safe (one per {@link Tail}); close it to release
 * a registry client.
 */
final class PredictionDecoder implements AutoCloseable {
    private final SingleObjectCodec<Prediction> codec;
    private final RegistrySerde<Prediction> registry;
    private final boolean json;

    PredictionDecoder(ValueFormats formats) {
        this.codec = StateCodec.predictionCodec();
        this.registry = switch (formats.output()) {
            case REGISTRY -> RegistrySerde.of(Prediction.class, formats.registry());
            case SINGLE_OBJECT, JSON -> null;
        };
        this.json = switch (formats.output()) {
            case JSON -> true;
            case SINGLE_OBJECT, REGISTRY -> false;
        };
    }

    /**
     * The prediction's JSON object.
     *
     * @throws RuntimeException (e.g. {@link io.rnnstreams.avro.UndecodableRecordException},
     *                          {@link IllegalArgumentException}) if {@code value} is not a prediction in this format
     */
    ObjectNode decode(String topic, byte[] value) {
        if (json) {
            return PredictionJson.parse(value);
        }
        Prediction p = registry != null ? registry.decode(topic, value) : codec.decode(value);
        return PredictionJson.toJson(p);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}

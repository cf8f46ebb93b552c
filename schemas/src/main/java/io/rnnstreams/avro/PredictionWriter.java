package io.rnnstreams.avro;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.Schema;

/**
 * The {@link Prediction}'s Avro binary encoding written field by field, as Avro's {@code SpecificDatumWriter} writes
 * it (the same calls on the encoder, so the same bytes) without its per-value dispatch on the schema: the
 * union branches' resolution, the logical types' conversion lookups, the boxing of the record's primitive fields. The
 * stream writes one prediction per reading, and that dispatch made most of the encoding's time.
 *
 * <p>It knows one schema: the one of fingerprint {@link #SCHEMA_FINGERPRINT}. {@link SingleObjectCodec} uses it only
 * for that schema (else Avro's writer), and {@code SingleObjectCodecTest} fails when the schema changed without it
 * (then: update the fields below and the fingerprint). Field order, unions ({@code previousError},
 * {@code intervalLevel}: branch 0 null, branch 1 the value) and logical types ({@code timestamp-millis}: epoch
 * milliseconds of the {@link Instant}) follow {@code Prediction.avsc}.
 *
 * <p>A required field left null fails with a {@link NullPointerException}, as with Avro's writer (the message
 * differs). Thread-safe: it holds no state.
 */
final class PredictionWriter implements DatumWriter<Prediction> {
    /** CRC-64-AVRO fingerprint of the parsing canonical form of the schema this writer writes. */
    static final long SCHEMA_FINGERPRINT = 0x425db31d66c672bfL;

    @Override
    public void setSchema(Schema schema) {
        if (SingleObjectCodec.fingerprint(schema) != SCHEMA_FINGERPRINT) {
            throw new IllegalArgumentException("PredictionWriter writes the schema of fingerprint "
                    + Long.toHexString(SCHEMA_FINGERPRINT) + " only");
        }
    }

    @Override
    public void write(Prediction p, Encoder out) throws IOException {
        out.writeLong(p.getEventTime().toEpochMilli());
        doubles(p.getForecast(), out);
        nestedDoubles(p.getHorizon(), out);
        List<Double> previousError = p.getPreviousError();
        if (previousError == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            doubles(previousError, out);
        }
        out.writeDouble(p.getAnomalyScore());
        out.writeLong(p.getReadingsLearned());
        out.writeString(p.getModelFingerprint());
        out.writeBoolean(p.getStateReset());
        out.writeBoolean(p.getAnomaly());
        out.writeBoolean(p.getWarmingUp());
        doubles(p.getChannelContributions(), out);
        times(p.getForecastTimes(), out);
        Double level = p.getIntervalLevel();
        if (level == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeDouble(level);
        }
        nestedDoubles(p.getIntervalLower(), out);
        nestedDoubles(p.getIntervalUpper(), out);
        strings(p.getChannelNames(), out);
        tags(p.getTags(), out);
    }

    private static void doubles(List<Double> values, Encoder out) throws IOException {
        int size = values.size();
        out.writeArrayStart();
        out.setItemCount(size);
        if (values instanceof PrimitivesArrays.DoubleArray primitive) {
            for (int i = 0; i < size; i++) {
                out.startItem();
                out.writeDouble(primitive.getDouble(i));
            }
        } else {
            for (Double v : values) {
                out.startItem();
                out.writeDouble(v);
            }
        }
        out.writeArrayEnd();
    }

    private static void nestedDoubles(List<List<Double>> values, Encoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (List<Double> v : values) {
            out.startItem();
            doubles(v, out);
        }
        out.writeArrayEnd();
    }

    private static void times(List<Instant> values, Encoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (Instant v : values) {
            out.startItem();
            out.writeLong(v.toEpochMilli());
        }
        out.writeArrayEnd();
    }

    private static void strings(List<String> values, Encoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (String v : values) {
            out.startItem();
            out.writeString(v);
        }
        out.writeArrayEnd();
    }

    private static void tags(Map<String, String> tags, Encoder out) throws IOException {
        out.writeMapStart();
        out.setItemCount(tags.size());
        for (Map.Entry<String, String> e : tags.entrySet()) {
            out.startItem();
            out.writeString(e.getKey());
            out.writeString(e.getValue());
        }
        out.writeMapEnd();
    }
}

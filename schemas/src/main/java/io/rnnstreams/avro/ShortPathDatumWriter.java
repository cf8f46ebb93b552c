package io.rnnstreams.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.RandomAccess;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro's {@link SpecificDatumWriter} with shorter paths for two kinds of values, the bytes written the same.
 *
 * <p>{@code bytes} (the key state's packed vectors): a heap {@link ByteBuffer} is written from its array
 * ({@link Encoder#writeBytes(byte[], int, int)}: length, then the bytes); Avro's path,
 * {@link Encoder#writeBytes(ByteBuffer)}, on a buffered binary encoder wraps it read-only, which hides the array, and
 * so copies every field into a new array first.
 *
 * <p>Arrays of {@code double} (forecasts, errors, bounds: most of a prediction's fields): a random-access list of
 * numbers is written by index, each element straight to
 * {@link Encoder#writeDouble}, instead of through an iterator and Avro's per-element dispatch on the element schema;
 * Avro's primitive-backed {@link PrimitivesArrays.DoubleArray} (what the stream builds its records' arrays of doubles
 * in, and what Avro decodes them to) without boxing.
 * The calls on the encoder, hence the bytes, are those of Avro's own {@code writeArray} (array start, item count,
 * one item each, array end). A list holding a null or a non-number takes Avro's path, so it fails as before.
 *
 * @param <T> the generated record class
 */
final class ShortPathDatumWriter<T> extends SpecificDatumWriter<T> {
    ShortPathDatumWriter(Schema schema, SpecificData model) {
        super(schema, model);
    }

    @Override
    protected void writeBytes(Object datum, Encoder out) throws IOException {
        if (datum instanceof ByteBuffer bytes && bytes.hasArray()) {
            out.writeBytes(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        } else {
            super.writeBytes(datum, out);
        }
    }

    @Override
    protected void writeArray(Schema schema, Object datum, Encoder out) throws IOException {
        Schema element = schema.getElementType();
        if (datum instanceof PrimitivesArrays.DoubleArray doubles && element.getType() == Schema.Type.DOUBLE
                && element.getLogicalType() == null) {
            int size = doubles.size();
            out.writeArrayStart();
            out.setItemCount(size);
            for (int i = 0; i < size; i++) {
                out.startItem();
                out.writeDouble(doubles.getDouble(i));
            }
            out.writeArrayEnd();
            return;
        }
        if (element.getType() != Schema.Type.DOUBLE || element.getLogicalType() != null
                || !(datum instanceof List<?> list) || !(datum instanceof RandomAccess) || !allNumbers(list)) {
            super.writeArray(schema, datum, out);
            return;
        }
        int size = list.size();
        out.writeArrayStart();
        out.setItemCount(size);
        for (int i = 0; i < size; i++) {
            out.startItem();
            out.writeDouble(((Number) list.get(i)).doubleValue());
        }
        out.writeArrayEnd();
    }

    private static boolean allNumbers(List<?> list) {
        for (int i = 0, n = list.size(); i < n; i++) {
            if (!(list.get(i) instanceof Number)) {
                return false;
            }
        }
        return true;
    }
}

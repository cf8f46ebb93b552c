package io.rnnstreams.backtest;

import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.stream.StateCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Collects one topic's records per sensor (the record key, UTF-8), in the order read, each decoded as a single-object
 * Avro record of type {@code R} and kept as what the backtest uses of it ({@code P}). A record without a key that is
 * UTF-8, without a value, or whose value is not a single-object {@code R}, is only counted.
 *
 * @param <R> the topic's Avro record type
 * @param <P> what the backtest keeps of one record
 */
final class KeyedRecords<R extends SpecificRecord, P> implements Consumer<ConsumerRecord<byte[], byte[]>> {
    private final SingleObjectCodec<R> codec;
    private final Function<R, P> kept;
    private final Map<String, List<P>> bySensor = new HashMap<>();
    private long records;
    private long unusable;

    private KeyedRecords(SingleObjectCodec<R> codec, Function<R, P> kept) {
        this.codec = codec;
        this.kept = kept;
    }

    /** The input topic's readings, as sent (some may be ones the application dead-lettered). */
    static KeyedRecords<SensorReading, Reading> inputs() {
        return new KeyedRecords<>(SingleObjectCodec.of(SensorReading.class), Reading::of);
    }

    /** The predictions topic's records. */
    static KeyedRecords<Prediction, PredictionPoint> predictions() {
        return new KeyedRecords<>(StateCodec.predictionCodec(), PredictionPoint::of);
    }

    /** The lagged topic's records ({@code LaggedOutput}, written with {@code rnn.smoothing.lag} > 0). */
    static KeyedRecords<LaggedOutput, LaggedRecords.Point> lagged() {
        return new KeyedRecords<>(StateCodec.laggedCodec(), LaggedRecords.Point::of);
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> r) {
        records++;
        String key = utf8(r.key());
        if (key == null || r.value() == null) {
            unusable++;
            return;
        }
        R value;
        try {
            value = codec.decode(r.value());
        } catch (UndecodableRecordException e) {
            unusable++;
            return;
        }
        bySensor.computeIfAbsent(key, k -> new ArrayList<>()).add(kept.apply(value));
    }

    /** Per sensor, what was kept of its usable records, in the order read. */
    Map<String, List<P>> bySensor() {
        return bySensor;
    }

    /** Records seen. */
    long records() {
        return records;
    }

    /** Records without a usable key or value. */
    long unusable() {
        return unusable;
    }

    private static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

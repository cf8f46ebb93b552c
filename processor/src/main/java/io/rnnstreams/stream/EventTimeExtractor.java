package io.rnnstreams.stream;

import io.rnnstreams.config.StreamLimits;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Stream time is event time: the reading's own {@code eventTime}. A record without a usable one (a dead
 * letter in the making) falls back to the record's timestamp, then to the partition's time, and never
 * returns a negative value, which Kafka Streams would drop the record for: every record reaches the
 * processor, which decides what becomes of it.
 *
 * <p>An event time beyond {@link StreamLimits#latestEventTime} of the wall clock is not usable either (the
 * processor makes it an {@link DeadLetterReason#EVENT_TIME_AHEAD} dead letter): stream time must not jump to
 * it (near {@code Long.MAX_VALUE} the stream-time punctuator's next time overflows and it fires for ever), and
 * the dead letter, stamped with the extracted time, must carry a timestamp the broker accepts. The same bound
 * applies to the record's timestamp.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    private final StreamLimits limits;
    private final LongSupplier wallClock;

    public EventTimeExtractor(StreamLimits limits) {
        this(limits, System::currentTimeMillis);
    }

    EventTimeExtractor(StreamLimits limits, LongSupplier wallClock) {
        this.limits = limits;
        this.wallClock = wallClock;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long latest = limits.latestEventTime(wallClock.getAsLong());
        if (record.value() instanceof RawReading raw && raw.reading() != null) {
            long eventTime = raw.reading().getEventTime().toEpochMilli();
            if (eventTime >= 0 && eventTime <= latest) {
                return eventTime;
            }
        }
        if (record.timestamp() >= 0 && record.timestamp() <= latest) {
            return record.timestamp();
        }
        return Math.max(partitionTime, 0L);
    }
}

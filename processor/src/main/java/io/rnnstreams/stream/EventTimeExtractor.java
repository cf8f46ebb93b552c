package io.rnnstreams.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Stream time is event time: the reading's own {@code eventTime}. A record without a usable one (a dead
 * letter in the making) falls back to the record's timestamp, then to the partition's time, and never
 * returns a negative value, which Kafka Streams would drop the record for: every record reaches the
 * processor, which decides what becomes of it.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof RawReading raw && raw.reading() != null) {
            long eventTime = raw.reading().getEventTime().toEpochMilli();
            if (eventTime >= 0) {
                return eventTime;
            }
        }
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return Math.max(partitionTime, 0L);
    }
}

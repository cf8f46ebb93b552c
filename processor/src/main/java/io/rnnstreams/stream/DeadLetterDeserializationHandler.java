package io.rnnstreams.stream;

import io.rnnstreams.stream.registry.RegistryUnavailableException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes records whose key cannot be deserialized (not UTF-8; values do not fail, see
 * {@link RawReadingDeserializer} and {@link RegistryReadingDeserializer}) to the dead-letter topic (reason
 * {@link DeadLetterReason#DESERIALIZATION}, original bytes unchanged) and resumes. The dead letter is
 * sent by the task's own producer (KIP-1034), so under exactly-once it commits with the input offset.
 * The topic is read from the {@value #TOPIC_CONFIG} entry of the Streams configuration; a dead letter too
 * large for the producer's {@code max.request.size} has its value cut to fit ({@link DeadLetters#fit}).
 * The one exception that is not the record's fault, a schema registry that cannot be asked
 * ({@link RegistryUnavailableException}), fails the stream thread instead: no record is lost to an outage.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    public static final String TOPIC_CONFIG = "rnn.topic.dead-letters";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String topic;
    private int maxRequestSize;

    @Override
    public void configure(Map<String, ?> configs) {
        Object t = configs.get(TOPIC_CONFIG);
        if (t == null || t.toString().isBlank()) {
            throw new IllegalArgumentException(TOPIC_CONFIG + " must name the dead-letter topic");
        }
        this.topic = t.toString();
        this.maxRequestSize = DeadLetters.maxRequestSize(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof RegistryUnavailableException) {
                log.error("Record {}-{}@{} not read: {}; stopping instead of dead-lettering it", record.topic(),
                        record.partition(), record.offset(), c.getMessage());
                return Response.fail();
            }
        }
        String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.warn("Undecodable record {}-{}@{} sent to dead-letter topic {}: {}", record.topic(), record.partition(),
                record.offset(), topic, detail);
        Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null; // -1: the record has none
        Headers headers = DeadLetters.headers(DeadLetterReason.DESERIALIZATION, detail, record.topic(),
                record.partition(), record.offset());
        byte[] value = DeadLetters.fit(record.key(), record.value(), headers, maxRequestSize);
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(topic, null, timestamp, record.key(), value,
                headers);
        return Response.resume(List.of(dead));
    }
}

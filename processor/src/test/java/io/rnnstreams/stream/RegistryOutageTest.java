package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.stream.registry.RegistryUnavailableException;
import java.net.ConnectException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** A schema registry that cannot be asked stops the stream thread; it never turns a record into a dead letter. */
class RegistryOutageTest {

    @Test
    void theDeserializationHandlerFailsOnARegistryOutageInsteadOfDeadLetteringTheRecord() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, "dlq"));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("sensors", 0, 9L, "k".getBytes(),
                new byte[] {0, 0, 0, 0, 1, 2});
        Exception outage = new StreamsException(new RegistryUnavailableException("could not fetch schema id 1",
                new ConnectException("Connection refused")));

        var failed = handler.handleError(null, record, outage);
        var resumed = handler.handleError(null, record, new IllegalArgumentException("not UTF-8"));

        assertEquals(DeserializationExceptionHandler.Result.FAIL, failed.result());
        assertTrue(failed.deadLetterQueueRecords().isEmpty());
        assertEquals(DeserializationExceptionHandler.Result.RESUME, resumed.result());
        assertEquals(1, resumed.deadLetterQueueRecords().size());
    }
}

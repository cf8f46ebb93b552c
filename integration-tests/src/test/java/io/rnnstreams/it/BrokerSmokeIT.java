package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.WithKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The broker fixture against a real broker: idempotent produce, read_committed consume, data and
 * committed offsets surviving a broker restart, aborted transactions invisible to read_committed.
 */
@WithKafkaBroker
class BrokerSmokeIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final String READ_COMMITTED = "read_committed";
    private static final String READ_UNCOMMITTED = "read_uncommitted";

    @Test
    void idempotentProduceThenReadCommittedGivesExactlyTheRecords(KafkaBroker broker) throws Exception {
        String topic = "smoke-idempotent";
        broker.createTopics(Map.of(topic, 3));
        List<RecordMetadata> acks = produce(broker, topic, 0, 1_000);

        assertEquals(1_000, acks.size());
        assertEquals(Set.of(0, 1, 2), acks.stream().map(RecordMetadata::partition).collect(Collectors.toSet()),
                "1,000 keys spread over all 3 partitions");

        List<ConsumerRecord<String, String>> read = KafkaClients.readAll(broker.bootstrapServers(), topic, READ_COMMITTED, READ_TIMEOUT);
        assertExactly(read, 0, 1_000);
        assertPerPartitionOrder(read);
        // idempotence: no duplicates, so offsets are 0..n-1 per partition and sum to 1,000
        Map<Integer, Long> perPartition = read.stream().collect(Collectors.groupingBy(ConsumerRecord::partition, TreeMap::new, Collectors.counting()));
        assertEquals(1_000L, perPartition.values().stream().mapToLong(Long::longValue).sum());
        for (ConsumerRecord<String, String> r : read) {
            assertTrue(r.offset() < perPartition.get(r.partition()), "offset " + r.offset() + " beyond count in " + r.partition());
        }
    }

    @Test
    void dataAndCommittedOffsetsSurviveARestartAndProduceWorksAfterwards(KafkaBroker broker) throws Exception {
        String topic = "smoke-restart";
        String group = "smoke-restart-group";
        broker.createTopics(Map.of(topic, 3));
        produce(broker, topic, 0, 1_000);
        assertExactly(KafkaClients.readAll(broker.bootstrapServers(), topic, READ_COMMITTED, READ_TIMEOUT), 0, 1_000);

        // commit the end of each partition for a group (goes to __consumer_offsets)
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(broker.bootstrapServers(), group, READ_COMMITTED)) {
            List<TopicPartition> tps = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toList());
            c.assign(tps);
            c.endOffsets(tps).forEach((tp, end) -> committed.put(tp, new OffsetAndMetadata(end)));
            c.commitSync(committed, Duration.ofSeconds(30));
        }
        assertEquals(1_000L, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum());

        String before = broker.bootstrapServers();
        broker.restart();
        assertEquals(before, broker.bootstrapServers(), "same address after restart");

        assertExactly(KafkaClients.readAll(broker.bootstrapServers(), topic, READ_COMMITTED, READ_TIMEOUT), 0, 1_000);
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(broker.bootstrapServers(), group, READ_COMMITTED)) {
            assertEquals(committed, c.committed(committed.keySet(), Duration.ofSeconds(30)), "committed offsets after restart");
        }

        produce(broker, topic, 1_000, 500);
        assertExactly(KafkaClients.readAll(broker.bootstrapServers(), topic, READ_COMMITTED, READ_TIMEOUT), 0, 1_500);
    }

    @Test
    void abortedTransactionIsInvisibleToReadCommitted(KafkaBroker broker) throws Exception {
        String topic = "smoke-transactions";
        broker.createTopics(Map.of(topic, 3));
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), "smoke-tx")) {
            producer.initTransactions();

            producer.beginTransaction();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, key(i), "aborted-" + i));
            }
            producer.flush();   // the aborted records really reach the log
            producer.abortTransaction();

            producer.beginTransaction();
            for (int i = 100; i < 150; i++) {
                producer.send(new ProducerRecord<>(topic, key(i), value(i)));
            }
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> committed = KafkaClients.readAll(broker.bootstrapServers(), topic, READ_COMMITTED, READ_TIMEOUT);
        assertExactly(committed, 100, 50);
        assertTrue(committed.stream().noneMatch(r -> r.value().startsWith("aborted-")));

        // the aborted records are in the log: read_uncommitted sees all 150
        List<ConsumerRecord<String, String>> all = KafkaClients.readAll(broker.bootstrapServers(), topic, READ_UNCOMMITTED, READ_TIMEOUT);
        assertEquals(150, all.size());
        assertEquals(100, all.stream().filter(r -> r.value().startsWith("aborted-")).count());
    }

    // ---------------------------------------------------------------------------------------

    private static String key(int i) {
        return "sensor-" + i;
    }

    private static String value(int i) {
        return "reading-" + i;
    }

    /** Produces records first..first+count-1 with an idempotent producer; every send must be acknowledged. */
    private static List<RecordMetadata> produce(KafkaBroker broker, String topic, int first, int count) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(count);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), null)) {
            for (int i = first; i < first + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, key(i), value(i))));
            }
            producer.flush();
        }
        List<RecordMetadata> acks = new ArrayList<>(count);
        for (Future<RecordMetadata> f : sent) {
            acks.add(f.get(30, TimeUnit.SECONDS));
        }
        return acks;
    }

    /** Exactly the records first..first+count-1, each once, each with its own value. */
    private static void assertExactly(List<ConsumerRecord<String, String>> read, int first, int count) {
        assertEquals(count, read.size(), "record count");
        Map<String, String> byKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : read) {
            String previous = byKey.put(r.key(), r.value());
            assertEquals(null, previous, "duplicate key " + r.key());
        }
        Map<String, String> expected = IntStream.range(first, first + count).boxed()
                .collect(Collectors.toMap(BrokerSmokeIT::key, BrokerSmokeIT::value));
        assertEquals(expected, byKey);
    }

    /** Within a partition, records appear in the order they were sent (increasing index). */
    private static void assertPerPartitionOrder(List<ConsumerRecord<String, String>> read) {
        Map<Integer, Integer> last = new HashMap<>();
        for (ConsumerRecord<String, String> r : read) {
            int index = Integer.parseInt(r.key().substring("sensor-".length()));
            Integer previous = last.put(r.partition(), index);
            assertTrue(previous == null || previous < index, "out of order in partition " + r.partition() + ": " + previous + " then " + index);
        }
    }
}

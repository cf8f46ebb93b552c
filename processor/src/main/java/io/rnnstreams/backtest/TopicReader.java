package io.rnnstreams.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads fixed offset ranges of partitions with a {@code read_committed} consumer that joins no group:
 * every partition from its start offset until the consumer's position reaches the end offset (under
 * {@code read_committed}, records of aborted transactions are skipped and the position jumps over
 * transaction markers).
 */
final class TopicReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private TopicReader() {
    }

    /**
     * Hands every record in {@code [from, to)} to {@code handler}, partition order kept.
     *
     * @param consumerConfig client configuration (bootstrap, security); group, deserializers and isolation
     *                       level are set here
     * @return per partition, the offset of the last record handed over (partitions without one are absent)
     * @throws TimeoutException if the ranges are not read by {@code deadline}
     */
    static Map<TopicPartition, Long> read(Map<String, Object> consumerConfig, Map<TopicPartition, Long> from,
                                          Map<TopicPartition, Long> to, Instant deadline,
                                          Consumer<ConsumerRecord<byte[], byte[]>> handler) throws TimeoutException {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<TopicPartition, Long> last = new HashMap<>();
        List<TopicPartition> pending = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : to.entrySet()) {
            if (from.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                pending.add(e.getKey());
            }
        }
        if (pending.isEmpty()) {
            return last;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(pending);
            for (TopicPartition tp : pending) {
                consumer.seek(tp, from.getOrDefault(tp, 0L));
            }
            while (!pending.isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException("reading " + pending + " up to offsets " + to
                            + " did not finish in time");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < to.get(tp)) {
                        handler.accept(r);
                        last.put(tp, r.offset());
                    }
                }
                List<TopicPartition> done = new ArrayList<>();
                for (TopicPartition tp : pending) {
                    if (consumer.position(tp, Duration.ofSeconds(30)) >= to.get(tp)) {
                        done.add(tp);
                    }
                }
                if (!done.isEmpty()) {
                    pending.removeAll(done);
                    consumer.pause(done);
                }
            }
        }
        return last;
    }
}

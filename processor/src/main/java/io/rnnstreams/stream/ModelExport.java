package io.rnnstreams.stream;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a learned model back from an application's model changelog (the durable copy of its
 * {@link ForecastTopology#MODEL_STORE}), so that it can be written to a {@link ModelFile}. Works while the
 * application runs or after it stopped; reads committed data only, and never creates a topic.
 */
public final class ModelExport {
    private ModelExport() {
    }

    /** The changelog topic of the model store of {@code applicationId}. */
    public static String changelogTopic(String applicationId) {
        return applicationId + "-" + ForecastTopology.MODEL_STORE + "-changelog";
    }

    /**
     * The latest committed model stored under {@code key} ({@code "shared"} for a shared-scope task's model,
     * else a sensor id), read to the end of the changelog as of now.
     *
     * @param clientProps Kafka client settings (bootstrap servers, security)
     * @throws IllegalArgumentException if the changelog does not exist or holds no model under {@code key}
     */
    public static ModelState latest(Properties clientProps, String applicationId, String key, Duration timeout) {
        String topic = changelogTopic(applicationId);
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "rnn-streams-export-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a wrong application.id must not create <id>-rnn-models-changelog (with the broker's default
        // cleanup.policy=delete, on which an application started later with that id would then run)
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        SingleObjectCodec<ModelState> codec = SingleObjectCodec.of(ModelState.class);
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalArgumentException("no changelog topic " + topic + ": has application.id "
                        + applicationId + " run?");
            }
            List<TopicPartition> tps = new ArrayList<>();
            partitions.forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
            byte[] latest = null;
            boolean found = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + timeout + " reading " + topic);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        latest = r.value(); // null: deleted (an idle key)
                        found = true;
                    }
                }
            }
            if (!found || latest == null) {
                throw new IllegalArgumentException("no model stored under key '" + key + "' in " + topic
                        + (found ? " (it was removed as idle)" : ""));
            }
            return codec.decode(latest);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}

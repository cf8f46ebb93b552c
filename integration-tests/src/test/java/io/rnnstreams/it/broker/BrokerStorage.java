package io.rnnstreams.it.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the broker stores for a set of topics: log sizes from {@code Admin.describeLogDirs} (bytes on disk of
 * every partition's log, batch headers, transaction markers and all), and the live state of changelog
 * topics (the latest value per key, as compaction would keep it).
 */
public final class BrokerStorage {
    private BrokerStorage() {
    }

    /** Log bytes per topic, summed over partitions and log directories of every broker, for the given topics. */
    public static Map<String, Long> logBytes(Admin admin, Collection<String> topics) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                .map(Node::id).collect(Collectors.toList());
        Map<String, Long> out = new TreeMap<>();
        topics.forEach(t -> out.put(t, 0L));
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                .get(30, TimeUnit.SECONDS).values()) {
            for (LogDirDescription dir : dirs.values()) {
                dir.replicaInfos().forEach((tp, info) -> out.computeIfPresent(tp.topic(), (t, b) -> b + info.size()));
            }
        }
        return out;
    }

    /** The changelog topics of an application: {@code <applicationId>-...-changelog}. */
    public static List<String> changelogs(Admin admin, String applicationId) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))
                .sorted().collect(Collectors.toList());
    }

    /**
     * Live bytes of a changelog: for every (partition, key) the size of its latest key and value, tombstones
     * removing the key, read under read_committed from the beginning to the end offsets taken at the start.
     *
     * @return {@code [total live bytes, live keys, records read]}
     */
    public static long[] liveState(String bootstrap, String topic, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<TopicPartition, Map<String, Integer>> live = new HashMap<>();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(pi -> partitions.add(new TopicPartition(topic, pi.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading changelog " + topic + " took longer than " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    Map<String, Integer> keys = live.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
                            x -> new HashMap<>());
                    String key = new String(r.key(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (r.value() == null) {
                        keys.remove(key);
                    } else {
                        keys.put(key, r.key().length + r.value().length);
                    }
                }
            }
        }
        long bytes = 0;
        long keys = 0;
        for (Map<String, Integer> m : live.values()) {
            keys += m.size();
            for (int b : m.values()) {
                bytes += b;
            }
        }
        return new long[] {bytes, keys, read};
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}

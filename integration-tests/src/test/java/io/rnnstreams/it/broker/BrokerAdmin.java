package io.rnnstreams.it.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/** Admin-client steps every backend shares: the fixture's Admin settings and the readiness wait. */
final class BrokerAdmin {

    private BrokerAdmin() {
    }

    static Admin newAdmin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-fixture");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return Admin.create(p);
    }

    /**
     * Polls {@code describeCluster()} until it lists a node. {@code alive} is checked between attempts
     * so that a broker that died during start-up fails fast; {@code diagnostics} goes into the exception.
     */
    static void awaitReady(String bootstrap, Duration timeout, java.util.function.BooleanSupplier alive,
                           java.util.function.Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        try (Admin admin = newAdmin(bootstrap)) {
            while (true) {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("the Kafka broker exited during start-up\n" + diagnostics.get(), last);
                }
                try {
                    Collection<?> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e.getCause();
                } catch (TimeoutException e) {
                    last = e;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker at " + bootstrap + " did not answer describeCluster() within "
                            + timeout.toSeconds() + " s\n" + diagnostics.get(), last);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }


    /**
     * Creates the topics (name -> partitions, replication factor 1) and waits until every partition
     * has a leader that serves it. Existing topics with the same partition count are accepted.
     */
    static void createTopics(String bootstrap, Map<String, Integer> partitionsByTopic) {
        if (partitionsByTopic.isEmpty()) {
            return;
        }
        List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                .collect(Collectors.toList());
        try (Admin admin = newAdmin(bootstrap)) {
            try {
                admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("creating topics " + partitionsByTopic + " failed", e.getCause());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Map<String, TopicDescription> described;
                try {
                    described = admin.describeTopics(partitionsByTopic.keySet()).allTopicNames()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // right after creation the metadata may not know the topic yet: ask again
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                            || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                    continue;
                }
                boolean ready = true;
                for (Map.Entry<String, Integer> e : partitionsByTopic.entrySet()) {
                    TopicDescription d = described.get(e.getKey());
                    if (d.partitions().size() != e.getValue()) {
                        throw new IllegalStateException("topic " + e.getKey() + " exists with "
                                + d.partitions().size() + " partitions, not " + e.getValue());
                    }
                    ready &= d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                }
                if (ready && partitionsServed(admin, described)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions of " + partitionsByTopic.keySet()
                            + " have no leader serving them after 60 s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating topics " + partitionsByTopic + " failed", e);
        }
    }

    /**
     * True when the leader answers ListOffsets for every partition, i.e. has loaded the partition's log.
     * A leader in the metadata is not enough: right after creation the broker may still be creating
     * the logs, and an idempotent producer whose first batch to a partition fails that way (while its
     * later batches, sent concurrently, succeed) can end in an endless OutOfOrderSequenceException loop.
     */
    private static boolean partitionsServed(Admin admin, Map<String, TopicDescription> described)
            throws InterruptedException, TimeoutException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        described.forEach((topic, d) -> d.partitions().forEach(p ->
                latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest())));
        try {
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
                return false;
            }
            throw new IllegalStateException("ListOffsets on new topics " + described.keySet() + " failed", e.getCause());
        }
    }
}

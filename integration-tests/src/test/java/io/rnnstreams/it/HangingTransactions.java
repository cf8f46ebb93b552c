package io.rnnstreams.it;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds Kafka's "hanging transactions" from what the Admin API reports: an open transaction on a partition (a producer
 * whose {@link ProducerState#currentTransactionStartOffset()} is set: the partition's last stable offset cannot pass
 * it) that no open transaction of the coordinator lists ({@link TransactionState#ONGOING} or a {@code PREPARE_}
 * state). No commit or abort marker will ever be written there, so a read_committed reader never sees what follows
 * that offset; only an operator's abort ends it ({@code kafka-transactions.sh find-hanging} / {@code abort},
 * {@code Admin.abortTransaction}). Seen once in {@link BrokerRestartIT} (docs/testing.md, branch ci20).
 *
 * <p>A moment's view: between a coordinator's commit and its marker reaching the partition the same picture is
 * normal, so a caller reports it from a wait that has stalled for a while, not from one look ({@link StalledWait}
 * fails such a wait when two looks agree).
 */
final class HangingTransactions {
    private HangingTransactions() {
    }

    /** One line per hanging transaction, by partition: where it starts and whose it is; empty if none. */
    static List<String> find(Map<TopicPartition, List<ProducerState>> producers,
                             Collection<TransactionDescription> transactions) {
        Set<TopicPartition> listed = new HashSet<>();
        for (TransactionDescription d : transactions) {
            if (d.state() == TransactionState.ONGOING || d.state() == TransactionState.PREPARE_COMMIT
                    || d.state() == TransactionState.PREPARE_ABORT) {
                listed.addAll(d.topicPartitions());
            }
        }
        List<String> found = new ArrayList<>();
        producers.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::toString)))
                .forEach(e -> e.getValue().stream()
                        .filter(ps -> ps.currentTransactionStartOffset().isPresent() && !listed.contains(e.getKey()))
                        .forEach(ps -> found.add(e.getKey() + " from offset "
                                + ps.currentTransactionStartOffset().getAsLong() + " (producer " + ps.producerId()
                                + " epoch " + ps.producerEpoch() + ")")));
        return found;
    }

    /**
     * What the broker says now: the producers on partitions 0-3 of {@code topic} (the ITs' topics have four) and the
     * descriptions of every transaction its coordinators list, by transactional id.
     */
    record Picture(Map<TopicPartition, List<ProducerState>> producers,
                   Map<String, TransactionDescription> transactions) {
        static Picture take(Admin admin, String topic) throws Exception {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            Map<TopicPartition, List<ProducerState>> producers = new java.util.HashMap<>();
            admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, d) -> producers.put(tp, d.activeProducers()));
            List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).toList();
            return new Picture(producers, admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS));
        }

        /** {@link #find} on this picture. */
        List<String> hanging() {
            return find(producers, transactions.values());
        }
    }

    /** {@link Picture#hanging} of a picture of {@code topic} taken now; empty if the broker does not answer. */
    static List<String> look(io.rnnstreams.it.broker.KafkaBroker broker, String topic) {
        try (Admin admin = broker.admin()) {
            return Picture.take(admin, topic).hanging();
        } catch (Exception e) {
            return List.of();
        }
    }
}

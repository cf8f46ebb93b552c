package io.rnnstreams.it;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
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
 * normal, so a caller reports it from a wait that has stalled for a while, not from one look.
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
}

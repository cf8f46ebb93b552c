package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * {@link HangingTransactions} on the picture of the failed clean-clone run at 1e49fec (BrokerRestartIT: predictions-1's
 * last stable offset 751 under a high watermark of 1201, the coordinator's only transaction complete with no
 * partitions), and on the normal pictures that must not be flagged.
 */
class HangingTransactionsTest {
    private static final TopicPartition P0 = new TopicPartition("predictions", 0);
    private static final TopicPartition P1 = new TopicPartition("predictions", 1);

    private static ProducerState producer(long openFrom) {
        return new ProducerState(1, 14, 449, 1_750_000_088_000L, OptionalInt.of(0),
                openFrom < 0 ? OptionalLong.empty() : OptionalLong.of(openFrom));
    }

    private static TransactionDescription transaction(TransactionState state, Set<TopicPartition> partitions) {
        return new TransactionDescription(1, state, 1, 15, 10_000, OptionalLong.of(1_796_659_867_133L), partitions);
    }

    @Test
    void anOpenTransactionThatNoOpenCoordinatorTransactionListsIsHanging() {
        List<String> found = HangingTransactions.find(Map.of(P0, List.of(producer(-1)), P1, List.of(producer(751))),
                List.of(transaction(TransactionState.COMPLETE_COMMIT, Set.of())));

        assertEquals(List.of("predictions-1 from offset 751 (producer 1 epoch 14)"), found);
    }

    @Test
    void anOpenTransactionTheCoordinatorListsIsNot() {
        for (TransactionState open : List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_ABORT)) {
            assertEquals(List.of(), HangingTransactions.find(Map.of(P1, List.of(producer(751))),
                    List.of(transaction(open, Set.of(P1)))), open.toString());
        }
        // listed for another partition only: still hanging on this one
        assertEquals(1, HangingTransactions.find(Map.of(P1, List.of(producer(751))),
                List.of(transaction(TransactionState.ONGOING, Set.of(P0)))).size());
        // no open transaction on the partition: nothing to say
        assertEquals(List.of(), HangingTransactions.find(Map.of(P1, List.of(producer(-1))), List.of()));
    }
}

package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link StalledWait} on the failed clean-clone run at 1e49fec (BrokerRestartIT: 4,350 committed predictions of
 * 4,800, predictions-1 hanging from offset 751, producer 1 epoch 14: the picture of {@link HangingTransactionsTest}),
 * and on the looks that must let the wait go on.
 */
class StalledWaitTest {
    private static final String HANGING = "predictions-1 from offset 751 (producer 1 epoch 14)";
    private static final Duration STALLED = Duration.ofSeconds(60);

    @Test
    void aHangingTransactionInBothLooksFailsTheWaitAtOnceWithTheVerdict() {
        Optional<String> failure = StalledWait.failure(4350, 4800, STALLED, List.of(HANGING), List.of(HANGING));

        assertEquals(Optional.of("only 4350 committed predictions, waiting for 4800, stalled for 60 s, and no wait "
                + "will help: HANGING TRANSACTION on predictions-1 from offset 751 (producer 1 epoch 14); no open "
                + "transaction of the coordinator lists the partition, so no marker will end it (a broker fault, not "
                + "the processor's; seen in two looks; docs/testing.md, branch ci20)"), failure);
    }

    @Test
    void theFailureNamesOnlyWhatBothLooksSaw() {
        String other = "predictions-3 from offset 12 (producer 2 epoch 3)";
        String failure = StalledWait.failure(4350, 4800, STALLED, List.of(other, HANGING), List.of(HANGING))
                .orElseThrow();

        assertEquals(1, failure.split("HANGING TRANSACTION", -1).length - 1, failure);
        assertEquals(true, failure.contains(HANGING), failure);
    }

    @Test
    void theWaitGoesOnWithoutAConfirmedHangingTransaction() {
        // none seen
        assertEquals(Optional.empty(), StalledWait.failure(4350, 4800, STALLED, List.of(), List.of()));
        // a moment between a commit and its marker: seen once, gone (or moved on) at the second look
        assertEquals(Optional.empty(), StalledWait.failure(4350, 4800, STALLED, List.of(HANGING), List.of()));
        assertEquals(Optional.empty(), StalledWait.failure(4350, 4800, STALLED, List.of(HANGING),
                List.of("predictions-1 from offset 900 (producer 1 epoch 14)")));
        // only the second look: not yet confirmed
        assertEquals(Optional.empty(), StalledWait.failure(4350, 4800, STALLED, List.of(), List.of(HANGING)));
        // the goal was reached meanwhile: the wait is over anyway
        assertEquals(Optional.empty(), StalledWait.failure(4800, 4800, STALLED, List.of(HANGING), List.of(HANGING)));
    }
}

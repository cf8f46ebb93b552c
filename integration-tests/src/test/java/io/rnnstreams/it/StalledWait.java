package io.rnnstreams.it;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether a wait for committed predictions that has stalled should fail at once instead of running to its timeout:
 * yes when two looks at the broker some seconds apart ({@link HangingTransactions#look}) both name the same hanging
 * transaction. That is a broker fault (docs/testing.md, branches ci20 and tidy20): no marker will end it and no wait
 * will let a read_committed reader past it. Two looks, because one alone can catch the normal moment between a
 * coordinator's commit and its marker reaching the partition; a hanging transaction stays put, with the same start
 * offset and producer.
 */
final class StalledWait {
    private StalledWait() {
    }

    /**
     * The failure message when the wait should end now, empty when it should go on: {@code count} records seen of
     * {@code goal}, stalled for {@code stalledFor}; {@code first} and {@code second}, the verdict lines of {@link
     * HangingTransactions#find} from two looks. Only the lines in both count; the message holds each of them.
     */
    static Optional<String> failure(int count, int goal, Duration stalledFor, List<String> first, List<String> second) {
        List<String> confirmed = first.stream().filter(second::contains).toList();
        if (confirmed.isEmpty() || count >= goal) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("only " + count + " committed predictions, waiting for " + goal
                + ", stalled for " + stalledFor.toSeconds() + " s, and no wait will help:");
        confirmed.forEach(h -> sb.append(" HANGING TRANSACTION on ").append(h).append(';'));
        sb.append(" no open transaction of the coordinator lists the partition, so no marker will end it (a broker "
                + "fault, not the processor's; seen in two looks; docs/testing.md, branch ci20)");
        return Optional.of(sb.toString());
    }
}

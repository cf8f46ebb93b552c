package io.rnnstreams.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a replay did.
 *
 * @param files            the files read, each with what it turned out to be
 * @param topic            the topic written to; null for a dry run
 * @param dryRun           whether nothing was to be sent
 * @param outcome          how it ended
 * @param rowsRead         data rows read, good and bad (headers and blank lines not counted)
 * @param readings         rows that became a reading (sent, or to be sent)
 * @param recordsSent      records the broker acknowledged
 * @param badRowCount      bad rows
 * @param badRows          the first {@value Replayer#KEPT_BAD_ROWS} bad rows, in file order
 * @param sensors          distinct sensor ids among the readings
 * @param outOfOrder       readings whose event time is not after the latest earlier one of their sensor, which
 *                         the processor dead-letters as OUT_OF_ORDER (MISSING_TIMESTAMP for negative ones)
 * @param expectedChannels the channel count the processor is configured for; 0 when not checked
 * @param wrongChannels    readings with another channel count than expectedChannels (WRONG_DIMENSION)
 * @param firstEventTime   the earliest event time among the readings (meaningless when there were none)
 * @param lastEventTime    the latest event time among the readings
 * @param elapsed          wall-clock time of the whole replay
 */
public record ReplaySummary(List<String> files, String topic, boolean dryRun, Outcome outcome, long rowsRead,
                            long readings, long recordsSent, long badRowCount, List<SourceRow.Bad> badRows,
                            long sensors, long outOfOrder, int expectedChannels, long wrongChannels,
                            long firstEventTime, long lastEventTime, Duration elapsed) {

    /** Exit code of a replay that stopped because of bad rows. */
    public static final int EXIT_BAD_ROWS = 3;
    /** Exit code of a replay stopped on request (Ctrl-C). */
    public static final int EXIT_STOPPED = 130;

    /** How a replay ended. */
    public enum Outcome {
        /** Every file was read to its end. */
        COMPLETED("completed"),
        /** Stopped after --limit readings. */
        LIMIT_REACHED("stopped at --limit"),
        /** --fail-on-bad-rows found bad rows in the check before sending: nothing was sent. */
        BAD_ROWS("failed: bad rows found (--fail-on-bad-rows)"),
        /** Stopped when more than --max-bad-rows rows were bad. */
        TOO_MANY_BAD_ROWS("stopped: more bad rows than --max-bad-rows"),
        /** Stopped on request. */
        STOPPED("stopped on request");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public ReplaySummary {
        files = List.copyOf(files);
        badRows = List.copyOf(badRows);
    }

    /** This summary with another outcome, topic and dry-run flag. */
    ReplaySummary with(Outcome newOutcome, String newTopic, boolean newDryRun) {
        return new ReplaySummary(files, newTopic, newDryRun, newOutcome, rowsRead, readings, recordsSent, badRowCount,
                badRows, sensors, outOfOrder, expectedChannels, wrongChannels, firstEventTime, lastEventTime, elapsed);
    }

    /** The process exit code: 0, {@value #EXIT_BAD_ROWS} for bad rows that stop it, {@value #EXIT_STOPPED}. */
    public int exitCode() {
        switch (outcome) {
            case BAD_ROWS:
            case TOO_MANY_BAD_ROWS:
                return EXIT_BAD_ROWS;
            case STOPPED:
                return EXIT_STOPPED;
            default:
                return 0;
        }
    }

    /** Records acknowledged per second of the whole replay (readings per second for a dry run). */
    public double rate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : (dryRun ? readings : recordsSent) / seconds;
    }

    /** The lines printed at the end of {@code rnn-streams replay}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "replay (dry run) " : "replay ").append(outcome).append(": ");
        if (dryRun) {
            sb.append(n(readings)).append(readings == 1 ? " reading" : " readings").append(" valid, nothing sent\n");
        } else {
            sb.append(n(recordsSent)).append(recordsSent == 1 ? " record" : " records").append(" sent to topic ")
                    .append(topic).append('\n');
        }
        line(sb, "files", files.isEmpty() ? "(none read)" : String.join("\n" + " ".repeat(16), files));
        line(sb, "rows read", n(rowsRead));
        StringBuilder bad = new StringBuilder(n(badRowCount));
        if (badRowCount > 0) {
            bad.append(" (");
            int shown = Math.min(badRows.size(), 10);
            for (int i = 0; i < shown; i++) {
                bad.append(i > 0 ? ", " : "").append(shortLocation(badRows.get(i)));
            }
            bad.append(badRowCount > shown ? ", ...)" : ")");
        }
        line(sb, "bad rows", bad.toString());
        line(sb, "sensors", n(sensors));
        if (readings > 0) {
            line(sb, "event time", Instant.ofEpochMilli(firstEventTime) + " .. " + Instant.ofEpochMilli(lastEventTime));
        }
        line(sb, "elapsed", String.format(Locale.ROOT, "%.3f s", elapsed.toNanos() / 1e9));
        line(sb, "rate", String.format(Locale.ROOT, "%,.0f %s/s", rate(), dryRun ? "readings" : "records"));
        if (outOfOrder > 0) {
            sb.append("  warning: ").append(n(outOfOrder)).append(outOfOrder == 1 ? " reading is" : " readings are")
                    .append(" not later than an earlier reading of the same sensor (or before 1970);")
                    .append(" the processor dead-letters them (OUT_OF_ORDER, MISSING_TIMESTAMP)\n");
        }
        if (wrongChannels > 0) {
            sb.append("  warning: ").append(n(wrongChannels)).append(wrongChannels == 1 ? " reading has" : " readings have")
                    .append(" another channel count than rnn.model.channels = ").append(expectedChannels)
                    .append("; the processor dead-letters them (WRONG_DIMENSION)\n");
        }
        return sb.toString();
    }

    private static String shortLocation(SourceRow.Bad bad) {
        Path name = bad.file().getFileName();
        return (name == null ? bad.file() : name) + ":" + bad.line();
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append("  ").append(name).append(':').append(" ".repeat(Math.max(1, 13 - name.length()))).append(value)
                .append('\n');
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}

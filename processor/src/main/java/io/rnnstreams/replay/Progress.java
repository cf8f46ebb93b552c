package io.rnnstreams.replay;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a replay on stderr: on a terminal one line rewritten in place ({@code \r}) a few times a second;
 * otherwise (a log, a pipe) a plain line every {@value #PLAIN_INTERVAL_SECONDS} seconds and one at the end. The
 * line shows records sent, the rate, and the estimated time left, from the share of the input bytes read so
 * far (or of {@code --limit}, whichever is further along).
 */
public final class Progress {
    /** How progress is shown. */
    public enum Mode {
        /** One line rewritten in place. */
        TERMINAL,
        /** A line every few seconds and one at the end. */
        PLAIN,
        /** Nothing. */
        OFF
    }

    static final long PLAIN_INTERVAL_SECONDS = 5;
    static final long TERMINAL_INTERVAL_MILLIS = 250;

    private final Mode mode;
    private final PrintWriter out;
    private final LongSupplier nanoClock;
    private final String label;
    private final long totalBytes;
    private final long limit;
    private final long interval;
    private final long start;
    private long lastPrint;
    private int shownWidth;

    /**
     * @param label      what the line starts with, e.g. {@code replay}
     * @param totalBytes the size of all input files together
     * @param limit      the most records that will be sent, or -1 for no limit
     */
    public Progress(Mode mode, PrintWriter out, LongSupplier nanoClock, String label, long totalBytes, long limit) {
        this.mode = mode;
        this.out = out;
        this.nanoClock = nanoClock;
        this.label = label;
        this.totalBytes = totalBytes;
        this.limit = limit;
        this.interval = mode == Mode.TERMINAL ? TimeUnit.MILLISECONDS.toNanos(TERMINAL_INTERVAL_MILLIS)
                : TimeUnit.SECONDS.toNanos(PLAIN_INTERVAL_SECONDS);
        this.start = nanoClock.getAsLong();
        this.lastPrint = start;
    }

    /** Shows the progress if it is time to; cheap enough to call for every record. */
    public void update(long records, long bytesDone, long badRows) {
        if (mode == Mode.OFF) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - lastPrint < interval) {
            return;
        }
        lastPrint = now;
        show(line(label, records, now - start, fraction(bytesDone, totalBytes, records, limit), badRows), false);
    }

    /** The last progress line (ends the in-place line on a terminal). */
    public void finish(long records, long bytesDone, long badRows) {
        if (mode == Mode.OFF) {
            return;
        }
        long now = nanoClock.getAsLong();
        show(line(label, records, now - start, fraction(bytesDone, totalBytes, records, limit), badRows), true);
    }

    /** Erases the in-place line so that a message can be printed; the next update draws it again. */
    public void clear() {
        if (mode == Mode.TERMINAL && shownWidth > 0) {
            out.print('\r' + " ".repeat(shownWidth) + '\r');
            out.flush();
            shownWidth = 0;
        }
    }

    private void show(String line, boolean last) {
        if (mode == Mode.TERMINAL) {
            String pad = line.length() < shownWidth ? " ".repeat(shownWidth - line.length()) : "";
            out.print('\r' + line + pad);
            shownWidth = last ? 0 : line.length();
            if (last) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * The share of the work done, in [0, 1]: the input bytes read of the total, or the records sent of the
     * limit, whichever is larger; NaN when neither is known.
     */
    static double fraction(long bytesDone, long totalBytes, long records, long limit) {
        double f = Double.NaN;
        if (totalBytes > 0) {
            f = Math.min(1.0, (double) bytesDone / totalBytes);
        }
        if (limit > 0) {
            double l = Math.min(1.0, (double) records / limit);
            f = Double.isNaN(f) ? l : Math.max(f, l);
        }
        return f;
    }

    /**
     * Seconds left when {@code fraction} of the work took {@code elapsedNanos}, assuming the same pace; -1 when
     * it cannot be told yet (nothing done, or under a second elapsed).
     */
    static long etaSeconds(long elapsedNanos, double fraction) {
        if (Double.isNaN(fraction) || fraction <= 0 || elapsedNanos < TimeUnit.SECONDS.toNanos(1)) {
            return -1;
        }
        double left = elapsedNanos / 1e9 * (1 - fraction) / fraction;
        return Math.round(left);
    }

    /** {@code m:ss} under an hour, else {@code h:mm:ss}. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /**
     * One progress line, e.g. {@code replay: 12,345 records, 2,469/s, 45.0%, 0:05 elapsed, ETA 0:06, 3 bad rows}.
     */
    static String line(String label, long records, long elapsedNanos, double fraction, long badRows) {
        StringBuilder sb = new StringBuilder(96);
        sb.append(label).append(": ").append(String.format(Locale.ROOT, "%,d", records))
                .append(records == 1 ? " record" : " records");
        double seconds = elapsedNanos / 1e9;
        if (seconds > 0) {
            sb.append(", ").append(String.format(Locale.ROOT, "%,d", Math.round(records / seconds))).append("/s");
        }
        if (!Double.isNaN(fraction)) {
            sb.append(", ").append(String.format(Locale.ROOT, "%.1f%%", fraction * 100));
        }
        sb.append(", ").append(duration(TimeUnit.NANOSECONDS.toSeconds(elapsedNanos))).append(" elapsed");
        long eta = etaSeconds(elapsedNanos, fraction);
        if (eta >= 0 && fraction < 1) {
            sb.append(", ETA ").append(duration(eta));
        }
        if (badRows > 0) {
            sb.append(", ").append(String.format(Locale.ROOT, "%,d", badRows)).append(badRows == 1 ? " bad row" : " bad rows");
        }
        return sb.toString();
    }
}

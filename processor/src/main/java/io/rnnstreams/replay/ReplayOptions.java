package io.rnnstreams.replay;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** How {@link Replayer} replays; immutable, made with {@link #builder()}. Defaults in the builder's setters. */
public final class ReplayOptions {
    private final double speed;
    private final boolean failOnBadRows;
    private final long maxBadRows;
    private final long limit;
    private final boolean wideCsv;
    private final String sensorId;
    private final int expectedChannels;
    private final boolean dryRun;
    private final PrintWriter err;
    private final Progress.Mode progress;
    private final LongSupplier nanoClock;
    private final Pacer.Sleeper sleeper;

    private ReplayOptions(Builder b) {
        speed = b.speed;
        failOnBadRows = b.failOnBadRows;
        maxBadRows = b.maxBadRows;
        limit = b.limit;
        wideCsv = b.wideCsv;
        sensorId = b.sensorId;
        expectedChannels = b.expectedChannels;
        dryRun = b.dryRun;
        err = b.err != null ? b.err : new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        progress = b.progress;
        nanoClock = b.nanoClock;
        sleeper = b.sleeper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Event time per wall-clock time; {@code Double.POSITIVE_INFINITY} (the default) sends as fast as possible. */
    public double speed() {
        return speed;
    }

    public boolean failOnBadRows() {
        return failOnBadRows;
    }

    /** The bad rows tolerated before the replay stops; -1 (the default) for any number. */
    public long maxBadRows() {
        return maxBadRows;
    }

    /** The most records sent; -1 (the default) for all. */
    public long limit() {
        return limit;
    }

    public boolean wideCsv() {
        return wideCsv;
    }

    /** The sensor id of wide CSV files; null for each file's name without extensions. */
    public String sensorId() {
        return sensorId;
    }

    /** The channel count the processor expects (rnn.model.channels), to warn about; 0 for no check. */
    public int expectedChannels() {
        return expectedChannels;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** Where bad rows, warnings and progress go. */
    public PrintWriter err() {
        return err;
    }

    public Progress.Mode progress() {
        return progress;
    }

    LongSupplier nanoClock() {
        return nanoClock;
    }

    /** A pacer for these options. */
    Pacer pacer() {
        return speed == Double.POSITIVE_INFINITY ? Pacer.unpaced() : new Pacer(speed, nanoClock, sleeper);
    }

    /** Builds {@link ReplayOptions}. */
    public static final class Builder {
        private double speed = Double.POSITIVE_INFINITY;
        private boolean failOnBadRows;
        private long maxBadRows = -1;
        private long limit = -1;
        private boolean wideCsv;
        private String sensorId;
        private int expectedChannels;
        private boolean dryRun;
        private PrintWriter err;
        private Progress.Mode progress = Progress.Mode.OFF;
        private LongSupplier nanoClock = System::nanoTime;
        private Pacer.Sleeper sleeper = nanos -> TimeUnit.NANOSECONDS.sleep(nanos);

        private Builder() {
        }

        /**
         * Pace by event time at {@code speed} times real time (1 = real time, 3600 = an hour a second), > 0;
         * {@code Double.POSITIVE_INFINITY} (the default): as fast as possible.
         */
        public Builder speed(double speed) {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be > 0, not " + speed);
            }
            this.speed = speed;
            return this;
        }

        /**
         * Check every file before sending anything; if any row is bad, report every bad row and send nothing
         * (exit code 3). Default false: bad rows are reported and skipped.
         */
        public Builder failOnBadRows(boolean failOnBadRows) {
            this.failOnBadRows = failOnBadRows;
            return this;
        }

        /** Stop (exit code 3) as soon as more than {@code n} rows were bad; -1 (the default): never. */
        public Builder maxBadRows(long n) {
            if (n < -1) {
                throw new IllegalArgumentException("max bad rows must be >= 0 (or -1 for no limit), not " + n);
            }
            this.maxBadRows = n;
            return this;
        }

        /** Send at most {@code n} records; -1 (the default): all. */
        public Builder limit(long n) {
            if (n < -1) {
                throw new IllegalArgumentException("limit must be >= 0 (or -1 for none), not " + n);
            }
            this.limit = n;
            return this;
        }

        /** Read every CSV file as wide, even one with a {@code sensor} column. Default false: by the header. */
        public Builder wideCsv(boolean wideCsv) {
            this.wideCsv = wideCsv;
            return this;
        }

        /** The sensor id of wide CSV files; null (the default): the file name without extensions. */
        public Builder sensorId(String sensorId) {
            if (sensorId != null && sensorId.isBlank()) {
                throw new IllegalArgumentException("the sensor id must not be blank");
            }
            this.sensorId = sensorId;
            return this;
        }

        /** Warn once per file about readings whose channel count differs from this; 0 (the default): no check. */
        public Builder expectedChannels(int channels) {
            this.expectedChannels = Math.max(0, channels);
            return this;
        }

        /** Read and check the files, report bad rows, send nothing and connect to nothing. */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Where bad rows, warnings and progress go; default System.err. */
        public Builder err(PrintWriter err) {
            this.err = err;
            return this;
        }

        /** How progress is shown on {@link #err}; default {@link Progress.Mode#OFF}. */
        public Builder progress(Progress.Mode progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** The clock of pacing and progress (tests). */
        Builder clock(LongSupplier nanoClock, Pacer.Sleeper sleeper) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public ReplayOptions build() {
            return new ReplayOptions(this);
        }
    }
}

package io.rnnstreams.replay;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads historical readings from files ({@link ReadingSources}) and produces them to a sensor topic: key = the
 * sensor id (UTF-8), value = the single-object encoded {@link SensorReading}, record timestamp = the event time.
 * The producer is idempotent ({@code enable.idempotence=true}, {@code acks=all}), so a retried send never
 * duplicates a record; the replay flushes at the end and fails on the first record Kafka does not accept.
 *
 * <p>Files are read in the order given, each row in file order. Bad rows (see {@link SourceRow.Bad}) are reported
 * on {@link ReplayOptions#err()} as {@code FILE:LINE: reason} and skipped, unless {@code failOnBadRows} (every
 * file is checked first; with any bad row nothing is sent) or more than {@code maxBadRows} of them stop it.
 * Before sending, every file is opened once, so that a missing file or a file without a usable header fails the
 * replay before anything is sent.
 *
 * <p>Use {@link #replay} once, or an instance to be able to {@link #stop()} a replay from another thread.
 */
public final class Replayer {
    /** Bad rows kept in the summary (all are counted and reported). */
    public static final int KEPT_BAD_ROWS = 1000;
    private static final SingleObjectCodec<SensorReading> CODEC = SingleObjectCodec.of(SensorReading.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ReplayOptions options;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    /** Files warned about for their channel count: once per file, also over a check pass and the sending one. */
    private final Set<Path> warnedChannels = new HashSet<>();

    public Replayer(ReplayOptions options) {
        this.options = options;
    }

    /**
     * Replays {@code files} to {@code topic}.
     *
     * @param producerProps Kafka client settings ({@code bootstrap.servers}, security, ...); see
     *                      {@link #producerProperties}. Ignored for a dry run.
     * @return what was done; its {@link ReplaySummary#exitCode()} says whether bad rows stopped it
     * @throws ReplayException when a file cannot be read, or a record cannot be sent
     */
    public static ReplaySummary replay(List<Path> files, Properties producerProps, String topic, ReplayOptions options)
            throws ReplayException {
        return new Replayer(options).run(files, producerProps, topic);
    }

    /** Like {@link #replay}, on this instance, which {@link #stop()} stops. */
    public ReplaySummary run(List<Path> files, Properties producerProps, String topic) throws ReplayException {
        Properties props = producerProperties(producerProps);
        return run(files, topic, () -> {
            createIfMissing(producerProps, topic);
            return new KafkaProducer<>(props);
        }, () -> retentionMs(producerProps, topic));
    }

    /**
     * Creates {@code topic} when it does not exist, with the broker's partition count and replication and
     * {@code retention.ms=-1}: replayed readings carry their historical event times as timestamps, and the
     * producer's auto-creation would give the broker's default retention (7 days), which deletes them within
     * minutes. An existing topic is left as it is (replay warns if its retention will delete the records). Any
     * failure (no permission to create) is left to the producer, as before.
     */
    static void createIfMissing(Properties kafka, String topic) {
        try (Admin admin = Admin.create(adminProperties(kafka))) {
            if (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))).all().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // exists by now, or cannot be created here: the producer reports what it finds
        }
    }

    /**
     * Asks a running replay to stop after the record being sent: what was handed to the producer is flushed,
     * and the summary says {@link ReplaySummary.Outcome#STOPPED}. Callable from any thread.
     */
    public void stop() {
        stopRequested.set(true);
    }

    /**
     * The producer configuration for a replay, from client settings in the style of the application's
     * configuration: keys that are producer settings are kept (security ones included), keys with Streams'
     * {@code producer.} prefix override them, everything else (Streams, consumer, rnn.* keys) is dropped. Then
     * {@code enable.idempotence=true}, {@code acks=all} and byte-array serializers are forced, and
     * {@code client.id} (rnn-streams-replay) and {@code linger.ms} (20) get defaults.
     */
    public static Properties producerProperties(Properties kafka) {
        Set<String> names = ProducerConfig.configNames();
        Properties p = new Properties();
        for (String key : kafka.stringPropertyNames()) {
            if (names.contains(key)) {
                p.setProperty(key, kafka.getProperty(key));
            }
        }
        for (String key : kafka.stringPropertyNames()) {
            if (key.startsWith("producer.") && names.contains(key.substring("producer.".length()))) {
                p.setProperty(key.substring("producer.".length()), kafka.getProperty(key));
            }
        }
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "rnn-streams-replay");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** The SensorReading a row becomes, single-object encoded. */
    static byte[] encode(SourceRow.Reading r) {
        List<Double> values = new ArrayList<>(r.values().length);
        for (double v : r.values()) {
            values.add(v);
        }
        return CODEC.encode(new SensorReading(Instant.ofEpochMilli(r.eventTime()), values, r.tags()));
    }

    /**
     * The replay with a given producer factory (tests: a MockProducer) and retention look-up (returns the
     * topic's retention.ms for CreateTime timestamps, or -1 when unknown or unlimited).
     */
    ReplaySummary run(List<Path> files, String topic, Supplier<Producer<byte[], byte[]>> producers,
                      LongSupplier retention) throws ReplayException {
        if (files.isEmpty()) {
            throw ReplayException.input("no input files");
        }
        if (!options.dryRun()) {
            java.util.Objects.requireNonNull(topic, "topic");
        }
        long start = options.nanoClock().getAsLong();
        long totalBytes = preflight(files);
        if (options.dryRun() || options.failOnBadRows()) {
            // a check pass: the dry run itself, or --fail-on-bad-rows's look at every row before sending any
            Pass check = new Pass(null, null, totalBytes, options.dryRun() ? "replay (dry run)" : "replay: checking",
                    options.maxBadRows());
            ReplaySummary checked = check.run(files, start);
            boolean failed = options.failOnBadRows() && checked.badRowCount() > 0
                    && checked.outcome() != ReplaySummary.Outcome.STOPPED
                    && checked.outcome() != ReplaySummary.Outcome.TOO_MANY_BAD_ROWS;
            ReplaySummary.Outcome outcome = failed ? ReplaySummary.Outcome.BAD_ROWS : checked.outcome();
            if (options.dryRun()) {
                return checked.with(outcome, topic, true);
            }
            if (failed || outcome == ReplaySummary.Outcome.STOPPED
                    || outcome == ReplaySummary.Outcome.TOO_MANY_BAD_ROWS) {
                return checked.with(outcome, topic, false);
            }
        }
        Producer<byte[], byte[]> producer;
        try {
            producer = producers.get();
        } catch (KafkaException e) {
            throw new ReplayException(ReplayException.Kind.SEND, "cannot create the Kafka producer: " + message(e), e,
                    null);
        }
        boolean ok = false;
        try {
            try {
                producer.partitionsFor(topic);
            } catch (KafkaException e) {
                throw new ReplayException(ReplayException.Kind.SEND, "topic " + topic + " is not available: "
                        + message(e), e, null);
            }
            Pass pass = new Pass(producer, topic, totalBytes, "replay", options.maxBadRows());
            pass.retentionMs = retention.getAsLong();
            // with failOnBadRows the check found none; a row that went bad since is reported and skipped
            ReplaySummary summary = pass.run(files, start);
            ok = true;
            return summary;
        } finally {
            try {
                producer.close(ok ? CLOSE_TIMEOUT : Duration.ofSeconds(5));
            } catch (KafkaException e) {
                if (ok) {
                    options.err().println("rnn-streams replay: warning: closing the producer failed: " + message(e));
                }
            }
        }
    }

    /** Opens every file once (header and layout), before anything is sent; returns their total size. */
    private long preflight(List<Path> files) throws ReplayException {
        long total = 0;
        for (Path file : files) {
            try {
                ReadingSources.open(file, options.wideCsv(), options.sensorId()).close();
                total += Files.size(file);
            } catch (IOException e) {
                throw new ReplayException(ReplayException.Kind.INPUT, file + ": cannot be read: " + message(e), e, null);
            }
        }
        return total;
    }

    /** One pass over the files: a check (no producer) or the sending one. */
    private final class Pass {
        private final Producer<byte[], byte[]> producer;
        private final String topic;
        private final long maxBadRows;
        private final Progress progress;
        private final PrintWriter err = options.err();
        private final AtomicLong acked = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Callback callback = (metadata, exception) -> {
            if (exception == null) {
                acked.incrementAndGet();
            } else {
                failure.compareAndSet(null, exception);
            }
        };
        private final List<String> descriptions = new ArrayList<>();
        private final List<SourceRow.Bad> kept = new ArrayList<>();
        private final Map<String, Long> latest = new HashMap<>();
        private long retentionMs = -1;
        private boolean retentionWarned;
        private long rowsRead;
        private long readings;
        private long badRows;
        private long outOfOrder;
        private long wrongChannels;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;
        private long bytesOfFinishedFiles;
        private ReadingSource current;
        private long start;

        Pass(Producer<byte[], byte[]> producer, String topic, long totalBytes, String label, long maxBadRows) {
            this.producer = producer;
            this.topic = topic;
            this.maxBadRows = maxBadRows;
            this.progress = new Progress(options.progress(), err, options.nanoClock(), label, totalBytes,
                    options.limit());
        }

        ReplaySummary run(List<Path> files, long startNanos) throws ReplayException {
            start = startNanos;
            ReplaySummary.Outcome outcome = ReplaySummary.Outcome.COMPLETED;
            Pacer pacer = producer == null ? Pacer.unpaced() : options.pacer();
            long wallStart = System.currentTimeMillis();
            try {
                outcome = loop(files, pacer, wallStart);
                if (producer != null) {
                    producer.flush();
                }
            } catch (KafkaException e) {
                failure.compareAndSet(null, e);
            }
            progress.finish(acknowledgedOrReadings(), bytesDone(), badRows);
            if (failure.get() != null) {
                Exception e = failure.get();
                throw new ReplayException(ReplayException.Kind.SEND, "sending to topic " + topic + " failed after "
                        + String.format(java.util.Locale.ROOT, "%,d", acked.get()) + " acknowledged records: "
                        + message(e), e, summary(outcome));
            }
            return summary(outcome);
        }

        private ReplaySummary.Outcome loop(List<Path> files, Pacer pacer, long wallStart) throws ReplayException {
            long limit = options.limit();
            if (limit == 0) {
                return ReplaySummary.Outcome.LIMIT_REACHED;
            }
            for (Path file : files) {
                try (ReadingSource source = ReadingSources.open(file, options.wideCsv(), options.sensorId())) {
                    current = source;
                    descriptions.add(file + " (" + source.describe() + ")");
                    SourceRow row;
                    while ((row = source.next()) != null) {
                        if (stopRequested.get()) {
                            return ReplaySummary.Outcome.STOPPED;
                        }
                        rowsRead++;
                        if (row instanceof SourceRow.Bad bad) {
                            badRows++;
                            if (kept.size() < KEPT_BAD_ROWS) {
                                kept.add(bad);
                            }
                            report(bad.toString());
                            if (maxBadRows >= 0 && badRows > maxBadRows) {
                                return ReplaySummary.Outcome.TOO_MANY_BAD_ROWS;
                            }
                            continue;
                        }
                        SourceRow.Reading reading = (SourceRow.Reading) row;
                        observe(reading, wallStart);
                        if (producer != null) {
                            if (!pacer.await(reading.eventTime(), this::tick)) {
                                return ReplaySummary.Outcome.STOPPED;
                            }
                            send(reading);
                            if (failure.get() != null) {
                                return ReplaySummary.Outcome.COMPLETED; // reported by run()
                            }
                        }
                        readings++;
                        progress.update(acknowledgedOrReadings(), bytesDone(), badRows);
                        if (limit > 0 && readings >= limit) {
                            return ReplaySummary.Outcome.LIMIT_REACHED;
                        }
                    }
                    bytesOfFinishedFiles += Files.size(file);
                    current = null;
                } catch (IOException e) {
                    progress.clear();
                    throw new ReplayException(ReplayException.Kind.READ, "reading " + file + " failed: " + message(e),
                            e, summary(ReplaySummary.Outcome.STOPPED));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ReplaySummary.Outcome.STOPPED;
                }
            }
            return ReplaySummary.Outcome.COMPLETED;
        }

        /** Progress while the pacer waits; false to stop waiting. */
        private boolean tick() {
            progress.update(acknowledgedOrReadings(), bytesDone(), badRows);
            return !stopRequested.get();
        }

        private void send(SourceRow.Reading r) {
            byte[] key = r.sensor().getBytes(StandardCharsets.UTF_8);
            // Kafka refuses negative record timestamps; such a reading goes with the send time (the processor
            // reads the event time from the value and dead-letters it)
            Long timestamp = r.eventTime() >= 0 ? r.eventTime() : null;
            try {
                producer.send(new ProducerRecord<>(topic, null, timestamp, key, encode(r)), callback);
            } catch (KafkaException e) {
                failure.compareAndSet(null, e);
            }
        }

        /** Statistics and warnings for a reading. */
        private void observe(SourceRow.Reading r, long wallStart) {
            long t = r.eventTime();
            first = Math.min(first, t);
            last = Math.max(last, t);
            Long previous = latest.get(r.sensor());
            if (t < 0 || previous != null && t <= previous) {
                outOfOrder++;
                if (previous == null) {
                    latest.put(r.sensor(), Long.MIN_VALUE);
                }
            } else {
                latest.put(r.sensor(), t);
            }
            int expected = options.expectedChannels();
            if (expected > 0 && r.values().length != expected) {
                wrongChannels++;
                if (warnedChannels.add(r.file())) {
                    report("rnn-streams replay: warning: " + r.file() + ":" + r.line() + ": the reading has "
                            + r.values().length + " channels, but rnn.model.channels is " + expected
                            + ": the processor dead-letters such readings (WRONG_DIMENSION); warned once per file");
                }
            }
            if (retentionMs >= 0 && !retentionWarned && t >= 0 && t < wallStart - retentionMs) {
                retentionWarned = true;
                report("rnn-streams replay: warning: topic " + topic + " deletes records older than retention.ms = "
                        + retentionMs + " (" + Duration.ofMillis(retentionMs) + ") by their timestamps, and readings "
                        + "from " + Instant.ofEpochMilli(t) + " are older than that: the broker may delete them "
                        + "before they are consumed. For old data use a topic with retention.ms=-1 or "
                        + "message.timestamp.type=LogAppendTime.");
            }
        }

        private void report(String line) {
            progress.clear();
            err.println(line);
            err.flush();
        }

        private long acknowledgedOrReadings() {
            return producer == null ? readings : acked.get();
        }

        private long bytesDone() {
            ReadingSource c = current;
            return bytesOfFinishedFiles + (c == null ? 0 : c.bytesRead());
        }

        private ReplaySummary summary(ReplaySummary.Outcome outcome) {
            boolean any = readings > 0;
            return new ReplaySummary(descriptions, topic, producer == null, outcome, rowsRead,
                    readings, acked.get(), badRows, kept, latest.size(), outOfOrder, options.expectedChannels(),
                    wrongChannels, any ? first : 0, any ? last : 0,
                    Duration.ofNanos(options.nanoClock().getAsLong() - start));
        }
    }

    /**
     * The topic's retention.ms when records are kept by their CreateTime timestamps, else -1; -1 as well when it
     * cannot be found out within a few seconds (no permission, an old broker): the check is only for a warning.
     */
    static long retentionMs(Properties kafka, String topic) {
        try (Admin admin = Admin.create(adminProperties(kafka))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            ConfigEntry type = config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
            if (retention == null || retention.value() == null
                    || type != null && "LogAppendTime".equalsIgnoreCase(type.value())) {
                return -1;
            }
            long ms = Long.parseLong(retention.value());
            return ms < 0 ? -1 : ms;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Admin client settings from the application's: admin settings, {@code admin.}-prefixed ones, short timeouts. */
    private static Properties adminProperties(Properties kafka) {
        Set<String> names = AdminClientConfig.configNames();
        Properties p = new Properties();
        for (String key : kafka.stringPropertyNames()) {
            if (names.contains(key)) {
                p.setProperty(key, kafka.getProperty(key));
            }
        }
        for (String key : kafka.stringPropertyNames()) {
            if (key.startsWith("admin.") && names.contains(key.substring("admin.".length()))) {
                p.setProperty(key.substring("admin.".length()), kafka.getProperty(key));
            }
        }
        p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "rnn-streams-replay-admin");
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        return p;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}

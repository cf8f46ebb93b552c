package io.rnnstreams.it.bench;

import io.rnnstreams.it.broker.BrokerStorage;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs one {@link BenchCell} against a running broker, each application as its own JVM:
 * <ol>
 *   <li>fresh topics and application id; launch the JVM on an empty state directory and wait for RUNNING;</li>
 *   <li>warm-up: max(K x perKey, min) readings as fast as possible, then a calibration burst of ~2 s of them;</li>
 *   <li>max throughput: bench.bursts bursts, each of R readings as fast as possible (R = calibrated rate x
 *       bench.maxSeconds / bench.bursts), each burst's rate = R / (receive time of its last committed prediction -
 *       send time of its first reading); the cell's max throughput is the median of the bursts' rates;</li>
 *   <li>for each offered load f: readings at f x max for bench.loadSeconds, open loop; latency percentiles
 *       of those readings' predictions, from each reading's due time and from its send time (see
 *       {@link SendLedger});</li>
 *   <li>SIGTERM (a clean close, so at-least-once flushes its caches too); bytes appended to the changelogs and
 *       the predictions topic since before step 3 (log sizes); live state per key from the changelogs;</li>
 *   <li>restore (rnn-streams cells): launch a JVM with the same application id on a new, empty state
 *       directory, send one probe reading per partition at once, and time launch -> all probe predictions
 *       committed; the probe's {@code readingsLearned} shows whether the key's state came back;</li>
 *   <li>delete the cell's topics.</li>
 * </ol>
 * Every reading must yield exactly one output record; a phase whose records do not all arrive within
 * bench.timeoutSeconds fails the cell (reported, the grid goes on).
 */
final class CellRunner {
    private static final SingleObjectCodec<Prediction> PREDICTIONS = SingleObjectCodec.of(Prediction.class);

    private final KafkaBroker broker;
    private final BenchConfig config;
    private final Path jar;

    CellRunner(KafkaBroker broker, BenchConfig config) {
        this.broker = broker;
        this.config = config;
        this.jar = ProcessorJvm.locateJar();
    }

    CellResult run(BenchCell cell, int index) throws Exception {
        String base = "b" + index + "-" + cell.label();
        String input = base + "-in";
        String predictions = base + "-out";
        String deadLetters = base + "-dlq";
        String appId = base + "-app";
        Path work = config.out().resolve("work").resolve(base).toAbsolutePath();
        Files.createDirectories(work);
        int k = cell.keys();
        broker.createTopics(Map.of(input, config.partitions(), predictions, config.partitions(), deadLetters, 1));

        Acc acc = new Acc();
        ProcessorJvm jvm = null;
        try (Admin admin = broker.admin();
             LoadGenerator gen = new LoadGenerator(broker.bootstrapServers(), input, k);
             PredictionCollector out = new PredictionCollector(broker.bootstrapServers(), predictions, gen.ledger())) {
            try {
                // 1. launch, wait for RUNNING
                long launchedAt = System.currentTimeMillis();
                jvm = launch(cell, appId, input, predictions, deadLetters, work.resolve("state-1"), work, "run-1");
                awaitRunning(jvm);

                // 2. warm-up and calibration
                acc.warmup = config.warmupReadings(k);
                long t0 = System.currentTimeMillis();
                gen.blast(acc.warmup);
                gen.flush();
                out.awaitCount(1, config.timeout());
                acc.coldStart = (out.receivedAt(0) - launchedAt) / 1000.0;
                long tw = out.awaitCount(acc.warmup, config.timeout());
                double warmRate = acc.warmup / Math.max(0.05, (tw - t0) / 1000.0);
                // then readings as fast as possible until bench.warmupSeconds after the warm-up began (WarmUp)
                WarmUp.Done warm = WarmUp.extend(acc.warmup, warmRate, t0, config.warmupTime(),
                        System::currentTimeMillis, n -> burst(gen, out, n));
                acc.warmup = warm.readings();
                warmRate = warm.rate();
                int calibration = (int) Math.max(500, Math.min(100_000, warmRate * 2));
                double calibrated = burst(gen, out, calibration);
                System.out.printf("bench %s: warm-up %,d readings at %.0f/s, calibration %,d at %.0f/s, cold start %.1f s%n",
                        cell.label(), acc.warmup, warmRate, calibration, calibrated, acc.coldStart);

                // 3. max throughput
                List<String> measured = new ArrayList<>(BrokerStorage.changelogs(admin, appId));
                measured.add(predictions);
                Map<String, Long> before = BrokerStorage.logBytes(admin, measured);
                // bench.bursts bursts of R readings each, one after another: the cell's rate is their median
                int r = config.maxPhaseReadings(calibrated);
                for (int b = 0; b < config.bursts(); b++) {
                    acc.burstRates.add(burst(gen, out, r));
                    acc.readings += r;
                }
                acc.maxRate = BurstRates.median(acc.burstRates);
                System.out.printf("bench %s: max throughput %,.0f readings/s, the median of %d bursts of R = %,d "
                                + "(%s readings/s; largest / smallest %.2f; later half / earlier half %.2f%s)%n",
                        cell.label(), acc.maxRate, config.bursts(), r,
                        acc.burstRates.stream().map(x -> String.format("%,.0f", x)).toList(),
                        BurstRates.spread(acc.burstRates), BurstRates.trend(acc.burstRates),
                        BurstRates.climbing(acc.burstRates)
                                ? ": STILL CLIMBING, the median understates the steady rate; raise bench.warmupSeconds"
                                : "");

                // 4. fixed offered loads
                long measuredReadings = acc.readings;
                for (double f : config.loads()) {
                    waitUntilAfter(gen.maxEventTime());
                    double rate = f * acc.maxRate;
                    int from = out.count();
                    long start = System.currentTimeMillis();
                    long sent = gen.paced(rate, config.loadPhase().toMillis() / 1000.0);
                    gen.flush();
                    long last = out.awaitCount(from + (int) sent, config.timeout());
                    Percentiles p = Percentiles.of(out.latencies(from, from + (int) sent, false)).scaled(0.001);
                    Percentiles s = Percentiles.of(out.latencies(from, from + (int) sent, true)).scaled(0.001);
                    double achieved = sent / Math.max(0.001, (last - start) / 1000.0);
                    acc.loads.add(new CellResult.LoadResult(f, rate, sent, achieved, p, s));
                    measuredReadings += sent;
                    System.out.printf("bench %s: offered %.0f/s (%.0f%%, %.0f/s per key): achieved %.0f/s, latency from "
                                    + "due p50 %.0f p99 %.0f p99.9 %.0f max %.0f ms, from send p50 %.0f p99 %.0f ms "
                                    + "(%,d readings, %,d outputs matched; %,d missed, %,d unmatched so far)%n",
                            cell.label(), rate, 100 * f, rate / k, achieved, p.p50(), p.p99(), p.p999(), p.max(),
                            s.p50(), s.p99(), sent, p.count(), gen.ledger().missed(), gen.ledger().unmatched());
                }

                // 5. clean stop, storage
                jvm.terminate(Duration.ofSeconds(60));
                Map<String, Long> after = BrokerStorage.logBytes(admin, measured);
                acc.measuredReadings = measuredReadings;
                long changelogBytes = 0;
                for (String t : measured) {
                    long appended = after.get(t) - before.get(t);
                    acc.logBytes.put(t.startsWith(appId + "-") ? t.substring(appId.length() + 1) : "predictions", appended);
                    if (!t.equals(predictions)) {
                        changelogBytes += appended;
                    }
                }
                acc.changelogPerReading = changelogBytes / (double) measuredReadings;
                acc.predictionPerReading = (after.get(predictions) - before.get(predictions)) / (double) measuredReadings;
                long stateBytes = 0;
                for (String t : measured) {
                    if (!t.equals(predictions)) {
                        long[] live = BrokerStorage.liveState(broker.bootstrapServers(), t, config.timeout());
                        acc.stateBytes.put(t.substring(appId.length() + 1), live[0]);
                        stateBytes += live[0];
                        acc.restoredRecords += live[2];
                    }
                }
                acc.statePerKey = stateBytes / (double) k;
                System.out.printf("bench %s: bytes/reading changelogs %.0f, predictions %.1f; state %.0f B/key; %s%n",
                        cell.label(), acc.changelogPerReading, acc.predictionPerReading, acc.statePerKey, acc.logBytes);

                // 6. restore onto an empty state directory
                if (config.restore() && cell.isRnn()) {
                    String[] probes = LoadGenerator.oneKeyPerPartition(k, config.partitions());
                    for (String key : probes) {
                        if (key != null) {
                            out.watch(key);
                        }
                    }
                    // The processor leaves the group on SIGTERM (StreamsApp closes with LEAVE_GROUP); a member
                    // still listed (a close that timed out) would hold the new JVM's rebalance for the session
                    // timeout, 45 s: remove it, as an operator replacing a processor would
                    boolean memberLeft = admin.describeConsumerGroups(List.of(appId)).all()
                            .get(60, TimeUnit.SECONDS).get(appId).members().isEmpty();
                    if (!memberLeft) {
                        admin.removeMembersFromConsumerGroup(appId,
                                new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions()).all()
                                .get(60, TimeUnit.SECONDS);
                    }
                    waitUntilAfter(gen.maxEventTime());
                    int from = out.count();
                    long launched = System.currentTimeMillis();
                    jvm = launch(cell, appId, input, predictions, deadLetters, work.resolve("state-2"), work, "restore");
                    int sent = 0;
                    for (String key : probes) {
                        if (key != null) {
                            gen.sendTo(key);
                            sent++;
                        }
                    }
                    gen.flush();
                    long last = out.awaitCount(from + sent, config.timeout());
                    acc.restoreSeconds = (last - launched) / 1000.0;
                    String key = probes[0] != null ? probes[0] : probes[probes.length - 1];
                    acc.probeSent = gen.sentTo(key);
                    byte[] value = out.watchedValue(key, gen.lastEventTimeOf(key));
                    acc.probeLearned = value == null ? -1 : PREDICTIONS.decode(value).getReadingsLearned();
                    System.out.printf("bench %s: restore of %,d changelog records (%d keys) on an empty state dir: "
                                    + "first predictions %.1f s after launch (cold start %.1f s); probe %s readingsLearned %d "
                                    + "of %d sent%n", cell.label(), acc.restoredRecords, k, acc.restoreSeconds,
                            acc.coldStart, key, acc.probeLearned, acc.probeSent);
                    jvm.terminate(Duration.ofSeconds(60));
                }
                acc.expected = gen.sent();
                out.awaitCount((int) gen.sent(), Duration.ofSeconds(5));
            } catch (Exception | Error e) {
                acc.error = e.getClass().getSimpleName() + ": " + e.getMessage();
                System.out.printf("bench %s: FAILED: %s (logs in %s)%n", cell.label(), acc.error, work);
                e.printStackTrace(System.out);
            } finally {
                if (jvm != null) {
                    jvm.close();
                }
                acc.expected = gen.sent();
                acc.received = out.count();
            }
            deleteTopics(admin, appId, input, predictions, deadLetters);
        }
        deleteRecursively(work.resolve("state-1"));
        deleteRecursively(work.resolve("state-2"));
        return new CellResult(cell, acc.error, acc.warmup, acc.coldStart, acc.readings, acc.maxRate,
                List.copyOf(acc.burstRates), List.copyOf(acc.loads),
                acc.measuredReadings, Map.copyOf(acc.logBytes), acc.changelogPerReading, acc.predictionPerReading,
                Map.copyOf(acc.stateBytes), acc.statePerKey, acc.restoreSeconds, acc.restoredRecords, acc.probeLearned,
                acc.probeSent, acc.expected, acc.received);
    }

    /** Mutable accumulator of one cell's figures. */
    private static final class Acc {
        String error;
        int warmup;
        double coldStart = Double.NaN;
        long readings;
        double maxRate = Double.NaN;
        final List<Double> burstRates = new ArrayList<>();
        final List<CellResult.LoadResult> loads = new ArrayList<>();
        long measuredReadings;
        final Map<String, Long> logBytes = new TreeMap<>();
        double changelogPerReading = Double.NaN;
        double predictionPerReading = Double.NaN;
        final Map<String, Long> stateBytes = new TreeMap<>();
        double statePerKey = Double.NaN;
        double restoreSeconds = Double.NaN;
        long restoredRecords;
        long probeLearned = -1;
        long probeSent;
        long expected;
        long received;
    }

    /** n readings as fast as possible; readings/s from the first send to the last committed prediction. */
    private double burst(LoadGenerator gen, PredictionCollector out, int n) throws Exception {
        waitUntilAfter(gen.maxEventTime());
        int from = out.count();
        long start = System.currentTimeMillis();
        gen.blast(n);
        gen.flush();
        long last = out.awaitCount(from + n, config.timeout());
        return n / Math.max(0.001, (last - start) / 1000.0);
    }

    /**
     * Sleeps until the wall clock has passed {@code millis} (the latest event time given): a phase starts with event
     * times at its due times, not ahead of the clock by the previous phase's lead (above 1,000 readings/s per key each
     * reading raises its key's event time 1 ms), which would otherwise grow towards the processor's bound
     * ({@code rnn.time.max-ahead}). Latency does not depend on it: it is measured from the due times
     * ({@link SendLedger}).
     */
    private static void waitUntilAfter(long millis) throws InterruptedException {
        long wait = millis + 1 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private ProcessorJvm launch(BenchCell cell, String appId, String input, String predictions, String deadLetters,
                                Path stateDir, Path logDir, String name) {
        if (cell.isRnn()) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("application.id", appId);
            s.put("bootstrap.servers", broker.bootstrapServers());
            s.put("state.dir", stateDir.toString());
            s.put("processing.guarantee", cell.guarantee());
            s.put("rnn.topic.input", input);
            s.put("rnn.topic.predictions", predictions);
            s.put("rnn.topic.dead-letters", deadLetters);
            s.put("rnn.model.scope", cell.modelScope());
            s.put("rnn.learner", cell.hybrid() ? "hybrid" : "rnn"); // explicit: the default is the hybrid
            s.put("rnn.model.hidden", Integer.toString(cell.hidden()));
            s.put("rnn.model.channels", "1");
            s.put("rnn.train.k1", "16");
            s.put("rnn.train.k2", "16");
            s.putAll(config.streamsSettings());
            return ProcessorJvm.start(jar, s, logDir, name, config.processorJvmOptions());
        }
        Path testClasses;
        try {
            testClasses = Path.of(BaselineApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> args = new ArrayList<>(List.of("input=" + input, "output=" + predictions, "application.id=" + appId,
                "bootstrap.servers=" + broker.bootstrapServers(), "state.dir=" + stateDir,
                "processing.guarantee=" + cell.guarantee()));
        config.streamsSettings().forEach((key, value) -> args.add(key + "=" + value));
        return ProcessorJvm.startMain(List.of(jar, testClasses), BaselineApp.class.getName(), config.processorJvmOptions(),
                args, logDir, name);
    }

    /** Waits for the JVM's "... -> RUNNING" state line on its standard output. */
    private void awaitRunning(ProcessorJvm jvm) throws Exception {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (true) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("the JVM exited with code " + jvm.exitCode() + " before RUNNING; see "
                        + jvm.logs());
            }
            if (Files.exists(jvm.stdout()) && Files.readString(jvm.stdout()).contains("-> RUNNING")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("not RUNNING after " + config.timeout() + "; see " + jvm.logs());
            }
            Thread.sleep(50);
        }
    }

    private static void deleteTopics(Admin admin, String appId, String... topics) {
        try {
            List<String> all = new ArrayList<>(List.of(topics));
            all.addAll(admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(appId + "-")).toList());
            admin.deleteTopics(all).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("bench: could not delete the topics of " + appId + ": " + e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

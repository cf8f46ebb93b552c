package io.rnnstreams.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the benchmark's results: {@code bench.md} (tables, the model-scope comparison, the machine),
 * {@code bench-cells.csv} (one row per cell), {@code bench-loads.csv} (one row per cell and offered load) and
 * {@code bench.png} (achieved throughput and p99 latency against offered load, one line per cell).
 */
final class BenchReport {
    static final String MARKDOWN = "bench.md";
    static final String CELLS_CSV = "bench-cells.csv";
    static final String LOADS_CSV = "bench-loads.csv";
    static final String PLOT = "bench.png";

    private BenchReport() {
    }

    static void write(Path dir, List<CellResult> results, BenchConfig config, String machine, double elapsedSeconds)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKDOWN), markdown(results, config, machine, elapsedSeconds));
        Files.writeString(dir.resolve(CELLS_CSV), cellsCsv(results));
        Files.writeString(dir.resolve(LOADS_CSV), loadsCsv(results));
        plot(dir.resolve(PLOT), results);
    }

    /** The baseline cell with the same guarantee and K, if the grid has one that succeeded. */
    static Optional<CellResult> baselineOf(CellResult r, List<CellResult> all) {
        return all.stream().filter(b -> !b.cell().isRnn() && b.ok() && b.cell().guarantee().equals(r.cell().guarantee())
                && b.cell().keys() == r.cell().keys()).findFirst();
    }

    static String markdown(List<CellResult> results, BenchConfig config, String machine, double elapsedSeconds) {
        StringBuilder md = new StringBuilder();
        md.append("# End-to-end benchmark\n\n");
        md.append(String.format(Locale.ROOT, "%d cells in %.0f s. %s%n%n", results.size(), elapsedSeconds, machine));
        md.append(String.format(Locale.ROOT, "Settings: %d partitions per topic, one stream thread, LSTM k1=k2=16, D=1; "
                        + "max phase ~%.0f s (R = calibrated rate x that), fixed-rate phases %.0f s at %s of the max; "
                        + "processor JVM options %s; Kafka Streams settings of both applications %s; Kafka Streams "
                        + "defaults otherwise (commit.interval.ms 100 under exactly_once_v2, 30000 under at_least_once).%n%n",
                config.partitions(), config.maxPhase().toMillis() / 1000.0, config.loadPhase().toMillis() / 1000.0,
                fractions(config.loads()), String.join(" ", config.processorJvmOptions()),
                config.streamsSettings().isEmpty() ? "(none)" : config.streamsSettings()));

        md.append("## Throughput and latency\n\n");
        md.append("Latency = the time a read_committed consumer receives the prediction minus the time its reading was "
                + "due to be sent by the open-loop generator (reading i of a phase due at its start + i / rate: a generator "
                + "that falls behind adds to the latency, no coordinated omission), both on the harness JVM's monotonic "
                + "clock, in ms (1 µs resolution); each prediction is matched to its reading by key and event time. Not "
                + "from the record timestamp: a reading's event time (the prediction's timestamp) is its due time raised "
                + "to 1 ms after its key's previous reading, so above 1,000 readings/s per key it runs ahead of the clock "
                + "(until lat18 the latency was measured from it and went negative there). From send: the same from when "
                + "the generator handed the reading to the producer (the difference is the generator's own lag). "
                + "x baseline: rnn-streams / the pass-through baseline with the same guarantee and K (latency ratio at the "
                + "same fraction of each one's own maximum).\n\n");
        md.append("max readings/s: the median of the max-throughput phase's bursts (bench.bursts, R readings each); "
                + "bursts: their rates' largest / smallest; x baseline: the ratio of the medians, and in brackets the range "
                + "the bursts allow (the cell's slowest burst / the baseline's fastest .. its fastest / the baseline's "
                + "slowest). A cell marked *climbing* was still speeding up while measured (its later bursts' mean over its "
                + "earlier bursts' above " + BurstRates.CLIMBING + "): its median understates its steady rate, and a ratio "
                + "over a climbing baseline overstates the cell's; raise bench.warmupSeconds.\n\n");
        md.append("| cell | R | max readings/s | bursts | x baseline |");
        for (double f : config.loads()) {
            md.append(String.format(Locale.ROOT, " p50 / p99 / p99.9 ms at %.0f%% |", 100 * f));
        }
        md.append(" p99 from send ms at each load | p99 x baseline at the highest load |\n|---|---:|---:|---:|---:|");
        for (int i = 0; i < config.loads().length; i++) {
            md.append("---:|");
        }
        md.append("---:|---:|\n");
        for (CellResult r : results) {
            Optional<CellResult> b = r.cell().isRnn() ? baselineOf(r, results) : Optional.empty();
            md.append("| ").append(r.cell().label()).append(r.ok() ? "" : " (FAILED)")
                    .append(String.format(Locale.ROOT, " | %,d | %s | %d: %s | %s |", r.readings(), num(r.maxRate(), 0),
                            r.burstRates().size(), bursts(r.burstRates()),
                            b.map(x -> ratio(r.maxRate() / x.maxRate()) + ratioRange(r, x)).orElse("")));
            for (int i = 0; i < config.loads().length; i++) {
                if (i < r.loads().size()) {
                    Percentiles p = r.loads().get(i).latency();
                    md.append(String.format(Locale.ROOT, " %s / %s / %s |", num(p.p50(), 0), num(p.p99(), 0),
                            num(p.p999(), 0)));
                } else {
                    md.append(" |");
                }
            }
            md.append(' ').append(String.join(" / ", r.loads().stream().map(l -> num(l.fromSend().p99(), 0)).toList()))
                    .append(" |");
            String p99Ratio = "";
            if (b.isPresent() && !r.loads().isEmpty() && b.get().loads().size() == r.loads().size()) {
                int last = r.loads().size() - 1;
                p99Ratio = ratio(r.loads().get(last).latency().p99() / b.get().loads().get(last).latency().p99());
            }
            md.append(' ').append(p99Ratio).append(" |\n");
        }

        md.append("\n## Bytes and restore\n\n");
        md.append("Bytes appended to the topics' logs (Admin.describeLogDirs, before the max phase and after the clean "
                + "stop; batch headers and transaction markers included) per reading of the max and fixed-rate phases. "
                + "State = live key+value bytes (latest per key) in the changelogs after the run, per key. Restore = "
                + "launch of a JVM on an empty state directory -> committed predictions of one probe reading per "
                + "partition; cold start = launch on empty changelogs -> first prediction.\n\n");
        md.append("| cell | changelogs B/reading | predictions B/reading | state B/key | changelog records | "
                + "cold start s | restore s | probe readingsLearned / sent | bytes appended per topic |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (CellResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d | %s | %s | %s | %s |%n", r.cell().label(),
                    num(r.changelogBytesPerReading(), 0), num(r.predictionBytesPerReading(), 1),
                    num(r.stateBytesPerKey(), 0), r.restoredRecords(), num(r.coldStartSeconds(), 1),
                    num(r.restoreSeconds(), 1),
                    r.probeReadingsLearned() >= 0 ? r.probeReadingsLearned() + " / " + r.probeReadingsSent() : "",
                    new java.util.TreeMap<>(r.logBytes()).toString().replace("|", "\\|")));
        }

        md.append("\n## Model scope: key vs shared\n\n");
        md.append(scopeComparison(results));

        List<CellResult> failed = results.stream().filter(r -> !r.ok()).toList();
        if (!failed.isEmpty()) {
            md.append("\n## Failed cells\n\n");
            for (CellResult r : failed) {
                md.append("- ").append(r.cell().label()).append(": ").append(r.error()).append('\n');
            }
        }
        return md.toString();
    }

    /** For every guarantee and K with both scopes at the same H: throughput, p99 at the highest load, bytes. */
    static String scopeComparison(List<CellResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("| guarantee | K | H | key readings/s | shared readings/s | shared / key | key p99 ms | shared p99 ms "
                + "| key changelog B/reading | shared changelog B/reading | key state B/key | shared state B/key |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double logSum = 0;
        int pairs = 0;
        int sharedWins = 0;
        for (CellResult key : results) {
            if (!key.cell().isRnn() || !key.cell().scope().equals("key") || !key.ok()) {
                continue;
            }
            Optional<CellResult> shared = results.stream().filter(s -> s.ok() && s.cell().isRnn()
                    && s.cell().scope().equals("shared") && s.cell().guarantee().equals(key.cell().guarantee())
                    && s.cell().keys() == key.cell().keys() && s.cell().hidden() == key.cell().hidden()).findFirst();
            if (shared.isEmpty()) {
                continue;
            }
            CellResult s = shared.get();
            double ratio = s.maxRate() / key.maxRate();
            logSum += Math.log(ratio);
            pairs++;
            if (ratio > 1) {
                sharedWins++;
            }
            md.append(String.format(Locale.ROOT, "| %s | %,d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    key.cell().guarantee(), key.cell().keys(), key.cell().hidden(), num(key.maxRate(), 0),
                    num(s.maxRate(), 0), ratio(ratio), num(lastP99(key), 0), num(lastP99(s), 0),
                    num(key.changelogBytesPerReading(), 0), num(s.changelogBytesPerReading(), 0),
                    num(key.stateBytesPerKey(), 0), num(s.stateBytesPerKey(), 0)));
        }
        if (pairs > 0) {
            double geo = Math.exp(logSum / pairs);
            md.append(String.format(Locale.ROOT, "%nShared scope had the higher maximum throughput in %d of %d pairs; "
                    + "geometric mean of shared / key = %s.%n", sharedWins, pairs, ratio(geo)));
        } else {
            md.append("\n(no pair of key and shared cells to compare)\n");
        }
        return md.toString();
    }

    private static double lastP99(CellResult r) {
        return r.loads().isEmpty() ? Double.NaN : r.loads().get(r.loads().size() - 1).latency().p99();
    }

    static String cellsCsv(List<CellResult> results) {
        StringBuilder csv = new StringBuilder("cell,engine,scope,guarantee,keys,hidden,ok,warmup_readings,readings,"
                + "max_readings_per_s,burst_readings_per_s,baseline_ratio,changelog_bytes_per_reading,prediction_bytes_per_reading,"
                + "state_bytes_per_key,changelog_records,cold_start_s,restore_s,probe_readings_learned,probe_readings_sent,"
                + "predictions_expected,predictions_received,error\n");
        for (CellResult r : results) {
            BenchCell c = r.cell();
            Optional<CellResult> b = c.isRnn() ? baselineOf(r, results) : Optional.empty();
            csv.append(String.join(",", c.label(), c.engine().name().toLowerCase(Locale.ROOT), c.scope(), c.guarantee(),
                    Integer.toString(c.keys()), Integer.toString(c.hidden()), Boolean.toString(r.ok()),
                    Integer.toString(r.warmupReadings()), Long.toString(r.readings()), csvNum(r.maxRate()),
                    String.join(";", r.burstRates().stream().map(BenchReport::csvNum).toList()),
                    b.map(x -> csvNum(r.maxRate() / x.maxRate())).orElse(""), csvNum(r.changelogBytesPerReading()),
                    csvNum(r.predictionBytesPerReading()), csvNum(r.stateBytesPerKey()),
                    Long.toString(r.restoredRecords()), csvNum(r.coldStartSeconds()), csvNum(r.restoreSeconds()),
                    Long.toString(r.probeReadingsLearned()), Long.toString(r.probeReadingsSent()),
                    Long.toString(r.predictionsExpected()), Long.toString(r.predictionsReceived()),
                    r.error() == null ? "" : '"' + r.error().replace("\"", "'").replace("\n", " ") + '"'))
                    .append('\n');
        }
        return csv.toString();
    }

    static String loadsCsv(List<CellResult> results) {
        StringBuilder csv = new StringBuilder("cell,fraction,offered_per_s,sent,achieved_per_s,latency_count,p50_ms,"
                + "p99_ms,p999_ms,max_ms,send_p50_ms,send_p99_ms,send_p999_ms,send_max_ms\n");
        for (CellResult r : results) {
            for (CellResult.LoadResult l : r.loads()) {
                Percentiles p = l.latency();
                Percentiles s = l.fromSend();
                csv.append(String.join(",", r.cell().label(), csvNum(l.fraction()), csvNum(l.offeredRate()),
                        Long.toString(l.sent()), csvNum(l.achievedRate()), Integer.toString(p.count()), csvNum(p.p50()),
                        csvNum(p.p99()), csvNum(p.p999()), csvNum(p.max()), csvNum(s.p50()), csvNum(s.p99()),
                        csvNum(s.p999()), csvNum(s.max()))).append('\n');
            }
        }
        return csv.toString();
    }

    static void plot(Path file, List<CellResult> results) throws IOException {
        XYChart throughput = new XYChartBuilder().width(900).height(600).title("Achieved vs offered load")
                .xAxisTitle("offered readings/s").yAxisTitle("achieved readings/s").build();
        XYChart latency = new XYChartBuilder().width(900).height(600).title("p99 event-to-prediction latency")
                .xAxisTitle("offered readings/s").yAxisTitle("p99 latency, ms").build();
        for (XYChart c : List.of(throughput, latency)) {
            c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW)
                    .setAntiAlias(true).setLegendFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        }
        boolean any = false;
        for (CellResult r : results) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> l = new ArrayList<>();
            for (CellResult.LoadResult load : r.loads()) {
                if (load.offeredRate() > 0 && load.achievedRate() > 0 && load.latency().p99() > 0) {
                    x.add(load.offeredRate());
                    y.add(load.achievedRate());
                    l.add(load.latency().p99());
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            any = true;
            XYSeries t = throughput.addSeries(r.cell().label(), x, y);
            XYSeries s = latency.addSeries(r.cell().label(), x, l);
            if (!r.cell().isRnn()) {
                t.setMarker(SeriesMarkers.SQUARE);
                s.setMarker(SeriesMarkers.SQUARE);
            }
        }
        if (!any) {
            for (XYChart c : List.of(throughput, latency)) {
                c.getStyler().setXAxisLogarithmic(false).setYAxisLogarithmic(false);
                c.addSeries("no data", new double[] {0}, new double[] {0});
            }
        }
        BitmapEncoder.saveBitmap(List.of(throughput, latency), 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        // saveBitmap appends the extension when the name lacks it; the name already has it
    }

    private static String fractions(double[] loads) {
        List<String> out = new ArrayList<>();
        for (double f : loads) {
            out.add(String.format(Locale.ROOT, "%.0f%%", 100 * f));
        }
        return String.join(", ", out);
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** The bursts column: their spread, and whether they still climbed ("1.45x, climbing 1.31x"); "" for none. */
    static String bursts(List<Double> rates) {
        if (rates.isEmpty()) {
            return "";
        }
        String spread = ratio(BurstRates.spread(rates));
        return BurstRates.climbing(rates) ? spread + ", *climbing* " + ratio(BurstRates.trend(rates)) : spread;
    }

    /** " [lo .. hi]" of {@link BurstRates#ratioRange}, or "" when either cell has no bursts. */
    static String ratioRange(CellResult cell, CellResult baseline) {
        double[] range = BurstRates.ratioRange(cell.burstRates(), baseline.burstRates());
        return Double.isNaN(range[0]) ? "" : " [" + ratio(range[0]) + " .. " + ratio(range[1]) + "]";
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String csvNum(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}

package io.rnnstreams.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One cell of the end-to-end benchmark grid: which application ({@link Engine#RNN} = rnn-streams' shaded jar,
 * {@link Engine#BASELINE} = {@link BaselineApp}), and for rnn-streams its model scope and hidden size; the
 * processing guarantee and the number of keys K apply to both. Immutable.
 *
 * <p>Text form (the {@code bench.grid} system property, cells separated by {@code ;}):
 * {@code rnn/SCOPE/GUARANTEE/K/H} or {@code baseline/GUARANTEE/K}, guarantee {@code eos} (exactly_once_v2) or
 * {@code alo} (at_least_once), e.g. {@code rnn/key/eos/100/32;baseline/eos/100}. A scope of
 * {@code hybrid-key} or {@code hybrid-shared} runs {@code rnn.learner=hybrid} in that model scope.
 */
record BenchCell(Engine engine, String scope, String guarantee, int keys, int hidden) {

    enum Engine { RNN, BASELINE }

    static final String EOS = "exactly_once_v2";
    static final String ALO = "at_least_once";

    BenchCell {
        if (keys < 1) {
            throw new IllegalArgumentException("K must be >= 1, not " + keys);
        }
        if (!guarantee.equals(EOS) && !guarantee.equals(ALO)) {
            throw new IllegalArgumentException("guarantee must be " + EOS + " or " + ALO + ", not " + guarantee);
        }
        if (engine == Engine.RNN && (hidden < 1 || !List.of("key", "shared", "hybrid-key", "hybrid-shared")
                .contains(scope))) {
            throw new IllegalArgumentException("an rnn cell needs scope key|shared|hybrid-key|hybrid-shared and "
                    + "H >= 1, not " + scope + "/" + hidden);
        }
    }

    /** Whether the cell runs the hybrid learner ({@code rnn.learner=hybrid}). */
    boolean hybrid() {
        return scope.startsWith("hybrid-");
    }

    /** The cell's {@code rnn.model.scope}. */
    String modelScope() {
        return hybrid() ? scope.substring("hybrid-".length()) : scope;
    }

    static BenchCell rnn(String scope, String guarantee, int keys, int hidden) {
        return new BenchCell(Engine.RNN, scope, guarantee, keys, hidden);
    }

    static BenchCell baseline(String guarantee, int keys) {
        return new BenchCell(Engine.BASELINE, "-", guarantee, keys, 0);
    }

    /** The grid: scope x guarantee x K at H=32, H in {8, 64} for key scope, and the baselines. */
    static List<BenchCell> fullGrid() {
        List<BenchCell> cells = new ArrayList<>();
        for (String guarantee : List.of(EOS, ALO)) {
            for (int k : List.of(100, 10_000)) {
                cells.add(baseline(guarantee, k));
                for (String scope : List.of("key", "shared")) {
                    cells.add(rnn(scope, guarantee, k, 32));
                }
            }
        }
        cells.add(rnn("key", EOS, 100, 8));
        cells.add(rnn("key", EOS, 100, 64));
        return cells;
    }

    /** A smoke-sized grid: both scopes and the baseline, exactly-once, 100 keys, H=32. */
    static List<BenchCell> quickGrid() {
        return List.of(baseline(EOS, 100), rnn("key", EOS, 100, 32), rnn("shared", EOS, 100, 32));
    }

    static List<BenchCell> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("full")) {
            return fullGrid();
        }
        if (t.equals("quick")) {
            return quickGrid();
        }
        List<BenchCell> cells = new ArrayList<>();
        for (String spec : t.split(";")) {
            if (spec.isBlank()) {
                continue;
            }
            String[] p = spec.trim().split("/");
            try {
                if (p[0].equals("rnn") && p.length == 5) {
                    cells.add(rnn(p[1], guarantee(p[2]), Integer.parseInt(p[3]), Integer.parseInt(p[4])));
                } else if (p[0].equals("baseline") && p.length == 3) {
                    cells.add(baseline(guarantee(p[1]), Integer.parseInt(p[2])));
                } else {
                    throw new IllegalArgumentException("expected rnn/SCOPE/GUARANTEE/K/H or baseline/GUARANTEE/K");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bench.grid: bad cell '" + spec + "': " + e.getMessage(), e);
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("bench.grid names no cell: " + text);
        }
        return cells;
    }

    private static String guarantee(String g) {
        return switch (g) {
            case "eos", EOS -> EOS;
            case "alo", ALO -> ALO;
            default -> throw new IllegalArgumentException("guarantee eos|alo, not " + g);
        };
    }

    String shortGuarantee() {
        return guarantee.equals(EOS) ? "eos" : "alo";
    }

    /** e.g. {@code rnn-key-eos-K100-H32}, {@code baseline-eos-K100}; also used in topic names. */
    String label() {
        return engine == Engine.RNN
                ? "rnn-" + scope + "-" + shortGuarantee() + "-K" + keys + "-H" + hidden
                : "baseline-" + shortGuarantee() + "-K" + keys;
    }

    boolean isRnn() {
        return engine == Engine.RNN;
    }
}

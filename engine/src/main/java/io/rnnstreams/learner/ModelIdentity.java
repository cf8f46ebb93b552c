package io.rnnstreams.learner;

import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.SmootherConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The versioned, explicit fingerprint stored with every model record: the settings a stored model was trained
 * under, by name, so that a start-up can say which ones changed. Not {@link LearnerConfig#toString()}: a field
 * added to the configuration later changes nothing here until it is listed, and a listed field missing from an
 * older record is compared with {@link #ADDED_LATER}'s default, so adding a field does not invalidate stored
 * models.
 *
 * <p>Two kinds of settings:
 * <ul>
 *   <li>{@link #REQUIRED}: a stored model cannot continue under another value (the parameters' shapes:
 *       {@code cell}, {@code hidden}, {@code channels}; their meaning: {@code activation}, {@code residual},
 *       {@code normalise}; the optimizer state's shape: {@code optimizer}; the key state's window: {@code k2};
 *       which store key holds the model: {@code scope}; which network the weights are: {@code architecture},
 *       {@code rnn} for the plain RNN, {@code seq2seq(N=24)} for the encoder-decoder of horizon 24). A difference
 *       refuses the start.</li>
 *   <li>{@link #TUNABLE}: the model continues from its weights and optimizer moments under the new value
 *       ({@code learning-rate}, {@code momentum}, {@code beta1}, {@code beta2}, {@code epsilon},
 *       {@code clip-norm}, {@code clip-value}, {@code k1}, {@code seed} (used only by models not yet stored)).
 *       A difference is reported, not refused.</li>
 * </ul>
 *
 * <p>Encoded form ({@link #encode()}): {@code v2;cell=LSTM;activation=TANH;...}, names in the order above.
 * A record written before version 2 holds {@link LearnerConfig#fingerprint()} (16 hex digits): it matches only
 * the same full configuration, and a difference cannot be named.
 */
public final class ModelIdentity {
    /** The encoding's version, the first field of {@link #encode()}. */
    public static final int VERSION = 2;
    /** Settings a stored model cannot continue without. */
    public static final List<String> REQUIRED = List.of("cell", "activation", "hidden", "channels", "residual",
            "normalise", "optimizer", "k2", "scope", "architecture");
    /** Settings a stored model continues under when they change. */
    public static final List<String> TUNABLE = List.of("learning-rate", "momentum", "beta1", "beta2", "epsilon",
            "clip-norm", "clip-value", "k1", "seed");
    /**
     * Settings listed after version 2, with the value every record written before them implied. A new entry here
     * and in {@link #REQUIRED} or {@link #TUNABLE} keeps every stored model valid; {@link #encode()} writes such a
     * setting only when it differs from that value, so the records of configurations that existed before it are
     * unchanged to the byte.
     */
    static final Map<String, String> ADDED_LATER = Map.of("architecture", "rnn");

    private static final String PREFIX = "v" + VERSION + ";";

    private final Map<String, String> values;
    /** The pre-version-2 fingerprint of the same configuration, for records written before version 2. */
    private final String legacy;

    private ModelIdentity(Map<String, String> values, String legacy) {
        this.values = Collections.unmodifiableMap(values);
        this.legacy = legacy;
    }

    /** The identity of plain RNN models trained under {@code config} in {@code scope}. */
    public static ModelIdentity of(LearnerConfig config, ModelScope scope) {
        return of(config, scope, "rnn");
    }

    /**
     * The identity of encoder-decoder models ({@code rnn.forecast.mode=seq2seq}) trained under {@code config} in
     * {@code scope}: the recurrent settings' names and values, and {@code architecture=seq2seq(N=...)}, so that a
     * plain RNN's stored model is refused and the horizon {@code N} counts (it is the decoder's length, which the
     * key state's window depends on).
     */
    public static ModelIdentity of(Seq2SeqConfig config, ModelScope scope) {
        return of(config.learner(), scope, "seq2seq(N=" + config.horizon()
                + (config.lagInputs() ? ",lag-inputs" : "") + corrected(config) + ")");
    }

    /**
     * The corrected encoder-decoder's base, {@code ",corrects=persistence+level+season(m=24)"} (its decoder learns
     * a correction to it, not the reading: a plain encoder-decoder's model cannot continue as a corrected one), empty
     * when not corrected (so the plain encoder-decoder's identity is unchanged); then {@code ",combine=min-variance"}
     * for the minimum-variance combination of the members and {@code ",gain=chosen"} for the gain weighed against the
     * base (its key state holds more moments). (Identities with {@code ",memory=h"} or {@code ",gain=shrunk"}, variants
     * measured in branch s2s14d and removed in s2s14e, were never served by the stream.)
     */
    private static String corrected(Seq2SeqConfig config) {
        if (!config.corrected()) {
            return "";
        }
        List<String> members = new ArrayList<>();
        if (config.level().persistence()) {
            members.add("persistence");
        }
        if (config.level().smoothed()) {
            members.add("level");
        }
        if (config.period() > 0) {
            members.add("season(m=" + config.period() + ")");
        }
        return ",corrects=" + String.join("+", members)
                + (config.combination() == Seq2SeqConfig.Combination.MIN_VARIANCE ? ",combine=min-variance" : "")
                + (config.gainRule() == Seq2SeqConfig.GainRule.FITTED ? ""
                : ",gain=" + config.gainRule().name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The identity of fixed-lag smoother models ({@code rnn.smoothing.lag}) trained under {@code config} in
     * {@code scope}: {@code architecture=smoother(L=...)} (the lag is the backward chain's length, which the key
     * state's window and rings depend on).
     */
    public static ModelIdentity of(SmootherConfig config, ModelScope scope) {
        return of(config.learner(), scope, "smoother(L=" + config.lag() + ")");
    }

    private static ModelIdentity of(LearnerConfig config, ModelScope scope, String architecture) {
        NetworkConfig n = config.network();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("cell", n.cellType().name());
        v.put("activation", n.activation().name());
        v.put("hidden", Arrays.stream(n.hiddenSizes()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        v.put("channels", Integer.toString(n.inputSize()));
        v.put("residual", Boolean.toString(config.residual()));
        v.put("normalise", Boolean.toString(config.normaliseInputs()));
        v.put("optimizer", config.optimizer().kind().name());
        v.put("k2", Integer.toString(config.k2()));
        v.put("scope", scope.name());
        v.put("architecture", architecture);
        v.put("learning-rate", Double.toString(config.optimizer().learningRate()));
        v.put("momentum", Double.toString(config.optimizer().momentum()));
        v.put("beta1", Double.toString(config.optimizer().beta1()));
        v.put("beta2", Double.toString(config.optimizer().beta2()));
        v.put("epsilon", Double.toString(config.optimizer().epsilon()));
        v.put("clip-norm", Double.toString(config.clipping().maxNorm()));
        v.put("clip-value", Double.toString(config.clipping().maxValue()));
        v.put("k1", Integer.toString(config.k1()));
        v.put("seed", Long.toString(n.seed()));
        // records written before version 2 are all plain RNNs': none matches another architecture
        return new ModelIdentity(v, architecture.equals("rnn") ? config.fingerprint()
                : config.fingerprint() + " " + architecture);
    }

    /** What a model record stores: {@code v2;name=value;...}. */
    public String encode() {
        return PREFIX + values.entrySet().stream().filter(e -> !e.getValue().equals(ADDED_LATER.get(e.getKey())))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    /** One setting's value, by its name in {@link #REQUIRED} or {@link #TUNABLE}. */
    public String value(String name) {
        return values.get(name);
    }

    /**
     * How a stored record's fingerprint differs from this identity.
     *
     * @param stored    the {@code configFingerprint} of a stored model record
     * @param withScope whether {@code scope} counts (not for a model file used as {@code rnn.model.init},
     *                  which may start models of either scope)
     */
    public Difference compare(String stored, boolean withScope) {
        if (!stored.startsWith("v")) {
            // before version 2: a hash of the whole configuration, equal or not
            return stored.equals(legacy) ? Difference.NONE
                    : new Difference(List.of("configuration (fingerprint " + stored + ", written by an older "
                    + "version; this configuration's is " + legacy + ")"), List.of());
        }
        Map<String, String> old = decode(stored);
        List<String> required = new ArrayList<>();
        List<String> tunable = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String name = e.getKey();
            if (name.equals("scope") && !withScope) {
                continue;
            }
            String was = old.containsKey(name) ? old.get(name) : ADDED_LATER.get(name);
            if (was != null && !was.equals(e.getValue())) {
                (REQUIRED.contains(name) ? required : tunable).add(name + " " + was + " -> " + e.getValue());
            }
        }
        return required.isEmpty() && tunable.isEmpty() ? Difference.NONE : new Difference(required, tunable);
    }

    private static Map<String, String> decode(String stored) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] fields = stored.split(";");
        for (int i = 1; i < fields.length; i++) {
            int eq = fields[i].indexOf('=');
            if (eq > 0) {
                m.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
            }
        }
        return m;
    }

    /**
     * Changed settings, each as {@code "name old -> new"}.
     *
     * @param required changes a stored model cannot continue under (refused)
     * @param tunable  changes it continues under (reported)
     */
    public record Difference(List<String> required, List<String> tunable) {
        public static final Difference NONE = new Difference(List.of(), List.of());

        /** Whether a stored model can continue under the new settings. */
        public boolean compatible() {
            return required.isEmpty();
        }
    }

    @Override
    public String toString() {
        return encode();
    }
}

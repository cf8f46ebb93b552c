package io.rnnstreams.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders the {@link Settings} table: plain text, Markdown, and the example properties file. */
final class SettingsDocs {
    private static final Map<String, String> GROUPS = Map.of(
            "topic", "Topics",
            "model", "Model",
            "train", "Training: truncated BPTT(k1, k2), optimizer, gradient clipping, normalisation",
            "forecast", "Forecasting",
            "time", "Event time",
            "state", "State retention",
            "input", "Input validation",
            "anomaly", "Anomaly score",
            "learner", "Learner",
            "hybrid", "Hybrid learner (rnn.learner=hybrid)");

    private static final String UNSET = "(unset)";
    private static final String KAFKA_INTRO = "Any Kafka Streams, consumer, producer or admin client setting passes "
            + "through to Kafka Streams, also behind a client prefix (consumer., main.consumer., restore.consumer., "
            + "global.consumer., producer., admin.) or, for Streams' internal topics, topic. (e.g. "
            + "topic.retention.ms). Security settings (security.protocol, ssl.*, sasl.*) pass through; values of "
            + "keys containing password, secret or jaas are never printed. Environment: KAFKA_ + the name in "
            + "upper case with '.' and '-' as '_', e.g. KAFKA_BOOTSTRAP_SERVERS. We set these defaults:";

    private SettingsDocs() {
    }

    static String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "DEFAULT", "ALLOWED", "DESCRIPTION"});
        for (Setting<?> s : Settings.ALL) {
            rows.add(new String[] {s.name(), s.defaultText() == null ? UNSET : s.defaultText(), s.allowed(),
                s.doc()});
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Settings (precedence, lowest to highest: defaults < --config file < environment < --set).\n")
                .append("Environment variables: RNN_ + the name in upper case with '.' and '-' as '_', e.g. ")
                .append("RNN_MODEL_HIDDEN=64,32.\n\n");
        render(sb, rows);
        sb.append('\n');
        for (String line : wrap("Kafka: " + KAFKA_INTRO, 100)) {
            sb.append(line).append('\n');
        }
        sb.append('\n');
        List<String[]> kafka = new ArrayList<>();
        kafka.add(new String[] {"NAME", "DEFAULT", "ALLOWED", "DESCRIPTION"});
        for (KafkaSettings.Default d : KafkaSettings.DEFAULTS) {
            kafka.add(new String[] {d.name(), d.value(), "see Kafka's documentation", d.doc()});
        }
        render(sb, kafka);
        return sb.toString();
    }

    private static void render(StringBuilder sb, List<String[]> rows) {
        int[] limits = {Integer.MAX_VALUE, 24, 30, 60};
        int[] widths = new int[4];
        List<List<List<String>>> cells = new ArrayList<>();
        for (String[] row : rows) {
            List<List<String>> wrapped = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                List<String> lines = c == 0 ? List.of(row[c]) : wrap(row[c], limits[c]);
                for (String l : lines) {
                    widths[c] = Math.max(widths[c], l.length());
                }
                wrapped.add(lines);
            }
            cells.add(wrapped);
        }
        for (List<List<String>> row : cells) {
            int height = 0;
            for (List<String> cell : row) {
                height = Math.max(height, cell.size());
            }
            for (int i = 0; i < height; i++) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < 4; c++) {
                    String text = i < row.get(c).size() ? row.get(c).get(i) : "";
                    line.append(c < 3 ? text + " ".repeat(widths[c] - text.length() + 2) : text);
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
        }
    }

    static String markdown() {
        StringBuilder sb = new StringBuilder("| Setting | Default | Allowed | Description |\n|---|---|---|---|\n");
        for (Setting<?> s : Settings.ALL) {
            sb.append("| `").append(s.name()).append("` | ")
                    .append(s.defaultText() == null ? "_unset_" : s.learnerDefaults().isEmpty()
                            ? "`" + s.defaultText() + "`" : escape(s.defaultText())).append(" | ")
                    .append(escape(s.allowed())).append(" | ").append(escape(s.doc())).append(" |\n");
        }
        for (KafkaSettings.Default d : KafkaSettings.DEFAULTS) {
            sb.append("| `").append(d.name()).append("` | `").append(d.value()).append("` | Kafka's | ")
                    .append(escape(d.doc())).append(" |\n");
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }

    static String exampleProperties() {
        StringBuilder sb = new StringBuilder();
        comment(sb, "rnn-streams configuration: every rnn.* setting with its default, and the Kafka settings whose "
                + "defaults rnn-streams sets. Use it with: rnn-streams run --config rnn-streams.properties");
        comment(sb, "Precedence, lowest to highest: built-in defaults < this file < environment variables < "
                + "--set key=value. Environment variables: RNN_ + the name in upper case with '.' and '-' as '_' "
                + "(RNN_MODEL_HIDDEN=64,32 sets rnn.model.hidden).");
        comment(sb, "Generated from io.rnnstreams.config.Settings by: rnn-streams settings --format properties");
        String group = null;
        for (Setting<?> s : Settings.ALL) {
            String g = s.name().split("\\.")[1];
            if (!g.equals(group)) {
                group = g;
                sb.append("\n# ---- ").append(GROUPS.getOrDefault(g, g)).append('\n');
            }
            sb.append('\n');
            comment(sb, s.doc());
            comment(sb, "Type: " + s.type() + ". Allowed: " + s.allowed() + ". Default: "
                    + (s.defaultText() == null ? UNSET : s.defaultText()) + ". Environment: "
                    + s.environmentVariable() + ".");
            if (s.defaultValue() == null) { // unset, or a default per learner that a value here would replace
                sb.append('#').append(s.name()).append("=\n");
            } else {
                sb.append(s.name()).append('=').append(s.defaultValue()).append('\n');
            }
        }
        sb.append("\n# ---- Kafka\n");
        comment(sb, KAFKA_INTRO);
        for (KafkaSettings.Default d : KafkaSettings.DEFAULTS) {
            sb.append('\n');
            comment(sb, d.doc());
            sb.append(d.name()).append('=').append(d.value()).append('\n');
        }
        sb.append('\n');
        comment(sb, "Security, for example SCRAM over TLS:");
        sb.append("#security.protocol=SASL_SSL\n")
                .append("#sasl.mechanism=SCRAM-SHA-512\n")
                .append("#sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"rnn-streams\" password=\"change-me\";\n")
                .append("#ssl.truststore.location=/etc/rnn-streams/truststore.p12\n")
                .append("#ssl.truststore.password=change-me\n");
        return sb.toString();
    }

    private static void comment(StringBuilder sb, String text) {
        for (String line : wrap(text, 110)) {
            sb.append("# ").append(line).append('\n');
        }
    }

    /** Greedy word wrap; a word longer than the width gets a line of its own. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}

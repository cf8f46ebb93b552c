package io.rnnstreams.cli;

import io.rnnstreams.config.AppConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration options every command shares ({@code --config FILE}, {@code --set KEY=VALUE}), as a
 * picocli mixin: {@code @Mixin ConfigOptions configOptions;}.
 */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (UTF-8) with rnn.* and Kafka settings; optional. See the example "
                    + "rnn-streams.properties or: rnn-streams settings --format properties")
    private Path config;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Set one setting, rnn.* or Kafka (e.g. --set rnn.train.k2=32 --set "
                    + "consumer.max.poll.records=500); repeatable; overrides the file and the environment.")
    private List<String> sets = new ArrayList<>();

    /** Defaults < the file < {@code environment} < the {@code --set} flags. */
    public AppConfig load(Map<String, String> environment) {
        return load(environment, List.of());
    }

    /** Like {@link #load(Map)}, saying each of the configuration's warnings on {@code err}, one line each. */
    public AppConfig load(Map<String, String> environment, PrintWriter err) {
        AppConfig config = load(environment);
        for (String warning : config.warnings()) {
            err.println("rnn-streams: warning: " + warning);
        }
        return config;
    }

    /**
     * Like {@link #load(Map)}, with a command's own {@code presets} ({@code KEY=VALUE}) applied just below the
     * user's {@code --set} flags, which still win.
     */
    public AppConfig load(Map<String, String> environment, List<String> presets) {
        List<String> all = new ArrayList<>(presets);
        all.addAll(sets);
        return AppConfig.load(config, environment, all);
    }
}

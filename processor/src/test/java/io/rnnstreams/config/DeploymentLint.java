package io.rnnstreams.config;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the deployment files (the image's Dockerfile, a compose file, Kubernetes manifests), finds every place
 * they start the rnn-streams image, and checks every setting given there with the application's own rules.
 *
 * <p>A {@link Launch} is one container of the image: its environment (the Dockerfile's {@code ENV} overridden by
 * the container's own), its command line (after the image's entry point: none or a leading option means
 * {@code run}), and the files mounted into it (bind-mounted host files, ConfigMap keys). {@link #check} then
 * <ul>
 *   <li>requires every environment variable to be an {@code RNN_*} variable naming a {@link Settings} entry, a
 *       {@code KAFKA_*} variable naming exactly one Kafka setting ({@link KafkaSettings#forEnvironmentVariable};
 *       the application itself only ignores unknown {@code KAFKA_*} names, so a typo there would pass silently),
 *       or one of {@link #OTHER_VARIABLES};</li>
 *   <li>requires the command to be one of the application's and a {@code --config} file to be mounted;</li>
 *   <li>builds the configuration exactly as the container would, with {@link AppConfig#load} (file, then
 *       environment, then {@code --set}), which rejects unknown names and invalid values, naming each.</li>
 * </ul>
 * Every problem names where it was found ({@link Launch#origin()}).
 */
final class DeploymentLint {
    /** Environment variables of the image that are not settings: the entry point's, the JVM's, Kubernetes'. */
    static final Set<String> OTHER_VARIABLES = Set.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "OPENBLAS_CORETYPE", "PATH",
            "POD_NAME", "POD_NAMESPACE", "TZ");
    /** The application's commands (cli.Main). */
    static final Set<String> COMMANDS = Set.of("run", "demo", "replay", "backtest", "export-model", "settings");
    /** The image's name in compose files and manifests. */
    static final String IMAGE = "rnn-streams";

    private static final Pattern K8S_VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private DeploymentLint() {
    }

    /**
     * One container started from the image.
     *
     * @param origin      where it is defined, for messages (file and service / workload)
     * @param environment its environment variables, in definition order
     * @param args        its command line after the entry point's defaulting (first element: the command)
     * @param files       files mounted into it: container path to content
     * @param definition  the container's (compose: the service's) YAML, for structural checks
     */
    record Launch(String origin, Map<String, String> environment, List<String> args, Map<String, String> files,
                  Map<String, Object> definition) {
    }

    /** A launch's problems and the settings it gives (file < environment < {@code --set}), by setting name. */
    record Checked(Launch launch, List<String> problems, Map<String, String> settings) {
    }

    /** What the image itself contributes: its {@code ENV} variables and default command ({@code CMD}). */
    record Image(Map<String, String> environment, List<String> defaultArgs) {
        /** Reads {@code ENV} (with line continuations and double quotes) and an exec-form {@code CMD}. */
        static Image fromDockerfile(Path dockerfile) {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : read(dockerfile).split("\n", -1)) {
                String t = line.strip();
                if (current.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
                    continue;
                }
                if (t.endsWith("\\")) {
                    current.append(t, 0, t.length() - 1).append(' ');
                } else {
                    instructions.add(current.append(t).toString());
                    current.setLength(0);
                }
            }
            Map<String, String> env = new LinkedHashMap<>();
            List<String> cmd = List.of();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S*)");
            for (String instruction : instructions) {
                if (instruction.startsWith("ENV ")) {
                    Matcher m = pair.matcher(instruction.substring(4));
                    while (m.find()) {
                        env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
                    }
                } else if (instruction.startsWith("CMD ")) {
                    cmd = List.copyOf(yaml().<List<String>>load(instruction.substring(4)));
                }
            }
            return new Image(env, cmd);
        }
    }

    // ------------------------------------------------------------------------------------------ collecting

    /** Every service of a compose file that runs the image. */
    @SuppressWarnings("unchecked")
    static List<Launch> fromCompose(Path composeFile, Image image) {
        return fromCompose(read(composeFile), composeFile.getParent(), composeFile.toString(), image);
    }

    /** Like {@link #fromCompose(Path, Image)}, for compose text whose relative bind mounts resolve against {@code dir}. */
    @SuppressWarnings("unchecked")
    static List<Launch> fromCompose(String composeText, Path dir, String origin, Image image) {
        Map<String, Object> compose = yaml().load(composeText);
        Map<String, Object> services = (Map<String, Object>) compose.getOrDefault("services", Map.of());
        List<Launch> launches = new ArrayList<>();
        for (Map.Entry<String, Object> s : services.entrySet()) {
            Map<String, Object> service = (Map<String, Object>) s.getValue();
            if (!isImage(String.valueOf(service.get("image")))) {
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>(image.environment());
            Object environment = service.get("environment");
            if (environment instanceof Map<?, ?> map) {
                map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            } else if (environment instanceof List<?> list) {
                for (Object item : list) {
                    String kv = String.valueOf(item);
                    int eq = kv.indexOf('=');
                    env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
                }
            }
            Map<String, String> files = new LinkedHashMap<>();
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String[] parts = String.valueOf(volume).split(":");
                if (parts.length >= 2 && (parts[0].startsWith(".") || parts[0].startsWith("/"))) {
                    Path host = dir.resolve(parts[0]).normalize();
                    if (Files.isRegularFile(host)) {
                        files.put(parts[1], read(host));
                    }
                }
            }
            launches.add(new Launch(origin + " service " + s.getKey(), env,
                    entryPoint(words(service.get("command")), image), files, service));
        }
        return launches;
    }

    /** Every container running the image in the workloads of the given manifest files (multi-document YAML). */
    static List<Launch> fromKubernetes(List<Path> manifestFiles, Image image) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path p : manifestFiles) {
            texts.put(p.toString(), read(p));
        }
        return fromKubernetes(texts, image);
    }

    /** Like {@link #fromKubernetes(List, Image)}, for manifest texts keyed by their origin. */
    @SuppressWarnings("unchecked")
    static List<Launch> fromKubernetes(Map<String, String> manifestTexts, Image image) {
        Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
        List<Map.Entry<String, Map<String, Object>>> workloads = new ArrayList<>();
        for (Map.Entry<String, String> text : manifestTexts.entrySet()) {
            for (Object doc : yaml().loadAll(text.getValue())) {
                if (!(doc instanceof Map<?, ?>)) {
                    continue;
                }
                Map<String, Object> m = (Map<String, Object>) doc;
                String kind = String.valueOf(m.get("kind"));
                String name = String.valueOf(((Map<String, Object>) m.getOrDefault("metadata", Map.of())).get("name"));
                if (kind.equals("ConfigMap")) {
                    configMaps.put(name, m);
                } else if (Set.of("StatefulSet", "Deployment", "DaemonSet", "Job").contains(kind)) {
                    workloads.add(Map.entry(text.getKey() + " " + kind + " " + name, m));
                }
            }
        }
        List<Launch> launches = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> w : workloads) {
            Map<String, Object> workload = w.getValue();
            String workloadName = String.valueOf(path(workload, "metadata", "name"));
            Map<String, Object> pod = (Map<String, Object>) path(workload, "spec", "template", "spec");
            Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
            for (Object v : (List<Object>) pod.getOrDefault("volumes", List.of())) {
                Map<String, Object> volume = (Map<String, Object>) v;
                volumes.put(String.valueOf(volume.get("name")), volume);
            }
            for (Object c : (List<Object>) pod.getOrDefault("containers", List.of())) {
                Map<String, Object> container = (Map<String, Object>) c;
                if (!isImage(String.valueOf(container.get("image")))) {
                    continue;
                }
                Map<String, String> env = new LinkedHashMap<>(image.environment());
                for (Object e : (List<Object>) container.getOrDefault("env", List.of())) {
                    Map<String, Object> var = (Map<String, Object>) e;
                    String value;
                    if (var.containsKey("valueFrom")) {
                        Object field = path(var, "valueFrom", "fieldRef", "fieldPath");
                        value = "metadata.name".equals(field) ? workloadName + "-0"
                                : "metadata.namespace".equals(field) ? "default" : "value-from-" + var.get("name");
                    } else {
                        value = expand(String.valueOf(var.getOrDefault("value", "")), env);
                    }
                    env.put(String.valueOf(var.get("name")), value);
                }
                Map<String, String> files = new LinkedHashMap<>();
                for (Object vm : (List<Object>) container.getOrDefault("volumeMounts", List.of())) {
                    Map<String, Object> mount = (Map<String, Object>) vm;
                    Map<String, Object> volume = volumes.get(String.valueOf(mount.get("name")));
                    Object cmName = volume == null ? null : path(volume, "configMap", "name");
                    Map<String, Object> cm = cmName == null ? null : configMaps.get(String.valueOf(cmName));
                    if (cm == null) {
                        continue;
                    }
                    Map<String, Object> data = (Map<String, Object>) cm.getOrDefault("data", Map.of());
                    String mountPath = String.valueOf(mount.get("mountPath"));
                    Object subPath = mount.get("subPath");
                    if (subPath != null) {
                        Object content = data.get(String.valueOf(subPath));
                        if (content != null) {
                            files.put(mountPath, String.valueOf(content));
                        }
                    } else {
                        data.forEach((key, content) -> files.put(mountPath + "/" + key, String.valueOf(content)));
                    }
                }
                launches.add(new Launch(w.getKey() + " container " + container.get("name"), env,
                        entryPoint(words(container.get("args")), image), files, container));
            }
        }
        return launches;
    }

    // ------------------------------------------------------------------------------------------ checking

    /** Checks one launch; see the class comment. */
    static Checked check(Launch launch) {
        List<String> problems = new ArrayList<>();
        String at = launch.origin() + ": ";
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> fromEnvironment = new LinkedHashMap<>();

        Map<String, String> appEnvironment = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : launch.environment().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("RNN_")) {
                // an unknown RNN_* variable is an error of AppConfig.load below
                Settings.ALL.stream().filter(x -> x.environmentVariable().equals(name)).findFirst()
                        .ifPresent(s -> fromEnvironment.put(s.name(), e.getValue()));
                appEnvironment.put(name, e.getValue());
            } else if (name.startsWith("KAFKA_")) {
                Set<String> keys = KafkaSettings.forEnvironmentVariable(name);
                if (keys.size() != 1) {
                    problems.add(at + "environment variable " + name + (keys.isEmpty()
                            ? " names no Kafka setting (the application would ignore it)"
                            : " is ambiguous: " + keys));
                } else {
                    fromEnvironment.put(keys.iterator().next(), e.getValue());
                }
                appEnvironment.put(name, e.getValue());
            } else if (!OTHER_VARIABLES.contains(name)) {
                problems.add(at + "environment variable " + name + " is neither a setting (RNN_*, KAFKA_*) nor one "
                        + "the image uses " + OTHER_VARIABLES);
            }
        }

        List<String> args = launch.args();
        if (args.isEmpty() || !COMMANDS.contains(args.get(0))) {
            problems.add(at + "command " + (args.isEmpty() ? "(none)" : args.get(0)) + " is not one of " + COMMANDS);
        }
        String configPath = null;
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            if ((a.equals("--config") || a.equals("-c")) && next != null) {
                configPath = next;
                i++;
            } else if (a.startsWith("--config=")) {
                configPath = a.substring("--config=".length());
            } else if ((a.equals("--set") || a.equals("-s")) && next != null) {
                sets.add(next);
                i++;
            } else if (a.startsWith("--set=")) {
                sets.add(a.substring("--set=".length()));
            }
        }

        Path configFile = null;
        try {
            if (configPath != null) {
                String content = launch.files().get(configPath);
                if (content == null) {
                    problems.add(at + "--config " + configPath + " is not a file mounted into the container "
                            + launch.files().keySet());
                } else {
                    Properties p = new Properties();
                    p.load(new StringReader(content));
                    p.stringPropertyNames().stream().sorted().forEach(k -> settings.put(k, p.getProperty(k).trim()));
                    configFile = Files.createTempFile("deploy-lint", ".properties");
                    Files.writeString(configFile, content, StandardCharsets.UTF_8);
                }
            }
            settings.putAll(fromEnvironment);
            for (String set : sets) {
                int eq = set.indexOf('=');
                if (eq > 0) {
                    settings.put(set.substring(0, eq).trim(), set.substring(eq + 1).trim());
                }
            }
            try {
                AppConfig.load(configFile, appEnvironment, sets);
            } catch (ConfigException e) {
                for (String error : e.errors()) {
                    // name the file as the container sees it, not the temporary copy
                    problems.add(at + (configFile == null ? error
                            : error.replace(configFile.toString(), configPath)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
        return new Checked(launch, problems, settings);
    }

    /** Every problem of every launch. */
    static List<String> problems(List<Launch> launches) {
        List<String> all = new ArrayList<>();
        for (Launch l : launches) {
            all.addAll(check(l).problems());
        }
        return all;
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The image's entry point: no arguments means its CMD; a leading option means {@code run} (entrypoint.sh). */
    static List<String> entryPoint(List<String> args, Image image) {
        List<String> a = args.isEmpty() ? new ArrayList<>(image.defaultArgs()) : new ArrayList<>(args);
        if (a.isEmpty() || a.get(0).startsWith("-")) {
            a.add(0, "run");
        }
        return a;
    }

    /** Whether an image reference names the application's image ({@code [registry/]rnn-streams[:tag]}). */
    static boolean isImage(String reference) {
        String withoutTag = reference.replaceFirst(":[^:/]*$", "");
        return withoutTag.equals(IMAGE) || withoutTag.endsWith("/" + IMAGE);
    }

    /** A nested value of a YAML mapping, or null. */
    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> map, String... keys) {
        Object current = map;
        for (String k : keys) {
            if (!(current instanceof Map<?, ?>)) {
                return null;
            }
            current = ((Map<String, Object>) current).get(k);
        }
        return current;
    }

    /** A YAML loader that builds plain maps and lists only (merge keys and anchors resolved). */
    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kubernetes' {@code $(VAR)} expansion from the variables defined before. */
    private static String expand(String value, Map<String, String> defined) {
        Matcher m = K8S_VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = defined.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        return m.appendTail(sb).toString();
    }

    private static List<String> words(Object command) {
        if (command == null) {
            return List.of();
        }
        if (command instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            list.forEach(x -> out.add(String.valueOf(x)));
            return out;
        }
        String s = String.valueOf(command).strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }
}

package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rnnstreams.config.DeploymentLint.Checked;
import io.rnnstreams.config.DeploymentLint.Image;
import io.rnnstreams.config.DeploymentLint.Launch;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment files under {@code deploy/} ask the application only for settings it accepts, and wire what
 * the issue requires: every setting given to the image in {@code deploy/compose/compose.yaml} and in the
 * manifests of {@code deploy/k8s/} (environment variables, {@code --set} flags, the mounted properties file,
 * the Dockerfile's {@code ENV}) passes {@link AppConfig}'s own validation ({@link DeploymentLint}); the probes
 * and health checks hit {@code /health} on the configured HTTP port; every instance advertises its own address
 * as {@code application.server}; standbys are on; every instance has its own state volume.
 *
 * <p>A unit test, in the processor's test sources, because it needs the settings table ({@link Settings}) and the
 * package-private {@link KafkaSettings} (the {@code KAFKA_*} name mapping), and no broker.
 */
class DeployManifestsTest {
    private static Path deploy;
    private static Image image;

    @BeforeAll
    static void locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("deploy/k8s/kustomization.yaml"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "no deploy/k8s/kustomization.yaml above " + Path.of("").toAbsolutePath());
        deploy = dir.resolve("deploy");
        image = Image.fromDockerfile(deploy.resolve("docker/Dockerfile"));
    }

    // ------------------------------------------------------------------------------------------ the image

    @Test
    void imageKeepsStateOnItsVolumeAndRunsByDefault() {
        assertEquals(List.of("run"), image.defaultArgs());
        // the Dockerfile's own ENV passes the lint (no args: the default command, no file)
        Checked checked = DeploymentLint.check(new Launch("Dockerfile", image.environment(), List.of("run"),
                Map.of(), Map.of()));
        assertEquals(List.of(), checked.problems());
        assertEquals("/var/lib/rnn-streams/state", checked.settings().get("state.dir"));
        String dockerfile = DeploymentLint.read(deploy.resolve("docker/Dockerfile"));
        assertTrue(dockerfile.contains("VOLUME [\"/var/lib/rnn-streams\"]"), "state.dir must be under the VOLUME");
        assertTrue(dockerfile.contains("libgfortran5"), "jblas's native BLAS needs libgfortran5");
        // every build-context source the Dockerfile copies exists (the runtime stage copies from the build stage)
        for (String line : dockerfile.split("\n")) {
            if (line.startsWith("COPY ") && !line.contains("--from=")) {
                String[] words = line.replaceFirst("--chmod=\\S+ ", "").split("\\s+");
                for (int i = 1; i < words.length - 1; i++) {
                    assertTrue(Files.exists(deploy.getParent().resolve(words[i])), "COPY source " + words[i]);
                }
            }
        }
    }

    /**
     * The image's build runs the reactor, which reads the POM of every module the parent lists: each must be in
     * the build context (the ignore list lets it through) and copied; the modules the application is built
     * from ({@code -pl processor -am}) bring their main sources too.
     */
    @Test
    void imageBuildCopiesEveryModuleOfTheReactor() {
        String parent = DeploymentLint.read(deploy.getParent().resolve("pom.xml"));
        String dockerfile = DeploymentLint.read(deploy.resolve("docker/Dockerfile"));
        String ignore = DeploymentLint.read(deploy.resolve("docker/Dockerfile.dockerignore"));
        java.util.regex.Matcher module = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        List<String> modules = new java.util.ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertTrue(modules.containsAll(List.of("schemas", "engine", "processor")), "modules " + modules);
        for (String m : modules) {
            assertTrue(dockerfile.contains("COPY " + m + "/pom.xml " + m + "/"), "Dockerfile copies " + m + "/pom.xml");
            assertTrue(ignore.contains("!" + m + "/pom.xml"), "Dockerfile.dockerignore lets " + m + "/pom.xml in");
        }
        for (String m : List.of("schemas", "engine", "processor")) {
            assertTrue(dockerfile.contains("COPY " + m + "/src/main " + m + "/src/main"), "Dockerfile copies "
                    + m + "/src/main");
            assertTrue(ignore.contains("!" + m + "/src/main"), "Dockerfile.dockerignore lets " + m + "/src/main in");
        }
    }

    // ------------------------------------------------------------------------------------------ compose

    @Test
    void composeGivesOnlyValidSettings() {
        List<Launch> launches = DeploymentLint.fromCompose(deploy.resolve("compose/compose.yaml"), image);
        assertEquals(Set.of("processor-1", "processor-2", "demo"), serviceNames(launches));
        assertEquals(List.of(), DeploymentLint.problems(launches));
    }

    @Test
    void composeProcessorsAreTwoInstancesWithOwnStateAddressAndHealthCheck() {
        List<Launch> launches = DeploymentLint.fromCompose(deploy.resolve("compose/compose.yaml"), image);
        Set<String> stateVolumes = new HashSet<>();
        int processors = 0;
        for (Launch l : launches) {
            if (!l.args().get(0).equals("run")) {
                continue;
            }
            processors++;
            Map<String, String> s = DeploymentLint.check(l).settings();
            String port = httpPort(s);
            assertEquals("true", s.get("rnn.http.enabled"), l.origin());
            assertEquals("0.0.0.0", s.get("rnn.http.bind"), l.origin());
            assertEquals("1", s.get("num.standby.replicas"), l.origin());
            assertEquals(l.definition().get("hostname") + ":" + port, s.get("application.server"), l.origin());
            @SuppressWarnings("unchecked")
            List<String> test = (List<String>) DeploymentLint.path(l.definition(), "healthcheck", "test");
            URI health = URI.create(test.get(test.size() - 1));
            assertEquals("/health", health.getPath(), l.origin());
            assertEquals(Integer.parseInt(port), health.getPort(), l.origin());
            @SuppressWarnings("unchecked")
            List<String> ports = (List<String>) l.definition().get("ports");
            assertTrue(ports.stream().anyMatch(p -> p.endsWith(":" + port)), l.origin() + " publishes " + ports);
            @SuppressWarnings("unchecked")
            List<String> volumes = (List<String>) l.definition().get("volumes");
            String state = volumes.stream().filter(v -> v.endsWith(":/var/lib/rnn-streams")).findFirst()
                    .orElseThrow(() -> new AssertionError(l.origin() + ": no volume on /var/lib/rnn-streams"));
            assertTrue(stateVolumes.add(state.substring(0, state.indexOf(':'))), "shared state volume " + state);
        }
        assertEquals(2, processors);
    }

    // ------------------------------------------------------------------------------------------ Kubernetes

    @Test
    void kubernetesManifestsGiveOnlyValidSettings() {
        List<Launch> launches = DeploymentLint.fromKubernetes(manifests(), image);
        assertEquals(1, launches.size(), "one container runs the image");
        assertEquals(List.of(), DeploymentLint.problems(launches));
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        Map<String, Object> k = DeploymentLint.yaml().load(DeploymentLint.read(deploy.resolve("k8s/kustomization.yaml")));
        @SuppressWarnings("unchecked")
        Set<String> resources = new TreeSet<>((List<String>) k.get("resources"));
        Set<String> files = manifests().stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, resources);
    }

    @Test
    @SuppressWarnings("unchecked")
    void statefulSetProbesStandbysStateAndAddress() {
        Map<String, Object> sts = documents("StatefulSet").get(0);
        Map<String, Object> service = documents("Service").stream()
                .filter(s -> s.get("metadata") instanceof Map<?, ?> m && m.get("name").equals(
                        DeploymentLint.path(sts, "spec", "serviceName")))
                .findFirst().orElseThrow(() -> new AssertionError("no Service named by spec.serviceName"));
        assertEquals("None", DeploymentLint.path(service, "spec", "clusterIP"), "the service must be headless");

        Launch launch = DeploymentLint.fromKubernetes(manifests(), image).get(0);
        Map<String, String> s = DeploymentLint.check(launch).settings();
        String port = httpPort(s);
        assertEquals("1", s.get("num.standby.replicas"));
        assertEquals("true", s.get("rnn.http.enabled"));
        assertEquals("0.0.0.0", s.get("rnn.http.bind"));
        // application.server = this pod's DNS name under the headless service, on the HTTP port
        assertEquals("rnn-streams-0." + DeploymentLint.path(sts, "spec", "serviceName") + ".default.svc:" + port,
                s.get("application.server"));

        Map<String, Object> container = launch.definition();
        Map<String, Integer> containerPorts = new LinkedHashMap<>();
        for (Object p : (List<Object>) container.get("ports")) {
            Map<String, Object> m = (Map<String, Object>) p;
            containerPorts.put(String.valueOf(m.get("name")), (Integer) m.get("containerPort"));
        }
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertEquals("/health", DeploymentLint.path(container, probe, "httpGet", "path"), probe);
            Object p = DeploymentLint.path(container, probe, "httpGet", "port");
            Integer resolved = p instanceof Integer i ? i : containerPorts.get(String.valueOf(p));
            assertEquals(Integer.valueOf(port), resolved, probe + " port " + p);
        }
        Map<String, Object> annotations = (Map<String, Object>) DeploymentLint.path(sts, "spec", "template",
                "metadata", "annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(port, annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));

        // the state dir is on the per-pod volume claim
        String claim = String.valueOf(DeploymentLint.path(
                (Map<String, Object>) ((List<Object>) DeploymentLint.path(sts, "spec", "volumeClaimTemplates")).get(0),
                "metadata", "name"));
        String mount = ((List<Object>) container.get("volumeMounts")).stream().map(v -> (Map<String, Object>) v)
                .filter(v -> claim.equals(v.get("name"))).map(v -> String.valueOf(v.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("volume claim " + claim + " not mounted"));
        assertTrue(s.get("state.dir").startsWith(mount + "/"), s.get("state.dir") + " not under " + mount);
        // sized: requests for CPU and memory, a memory limit equal to the request
        Map<String, Object> resources = (Map<String, Object>) container.get("resources");
        assertNotNull(DeploymentLint.path(resources, "requests", "cpu"));
        assertEquals(DeploymentLint.path(resources, "requests", "memory"),
                DeploymentLint.path(resources, "limits", "memory"));
    }

    // ------------------------------------------------------------------------------------------ negative controls

    @Test
    void aMisspelledSettingInComposeIsNamed() {
        String compose = """
                services:
                  processor:
                    image: rnn-streams:local
                    command: ["run", "--set", "num.standby.replica=1", "--set", "rnn.train.k2=sixteen"]
                    environment:
                      KAFKA_BOOTSTRAP_SERVERS: kafka:9092
                      KAFKA_BOOTSTRAP_SERVER: kafka:9092
                      RNN_MODEL_HIDEN: "32"
                      RN_MODEL_CELL: gru
                  kafka:
                    image: apache/kafka:4.3.1
                    environment:
                      KAFKA_NODE_ID: 1
                """;
        List<String> problems = DeploymentLint.problems(
                DeploymentLint.fromCompose(compose, deploy, "test-compose.yaml", image));
        assertNamed(problems, "num.standby.replica", "rnn.train.k2", "KAFKA_BOOTSTRAP_SERVER", "RNN_MODEL_HIDEN",
                "RN_MODEL_CELL");
        assertFalse(problems.stream().anyMatch(p -> p.contains("KAFKA_NODE_ID")), "the broker's variables are not ours");
        assertTrue(problems.stream().allMatch(p -> p.startsWith("test-compose.yaml service processor: ")), problems::toString);
    }

    @Test
    void aMisspelledSettingInAConfigMapIsNamed() {
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cfg
                data:
                  app.properties: |
                    rnn.model.cel=gru
                    num.standby.replicas=one
                """;
        String workload = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: p
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          image: registry.example.com/rnn-streams:1.0
                          args: ["--config", "/etc/cfg/app.properties", "--set", "rnn.http.prot=8080"]
                          volumeMounts:
                            - name: config
                              mountPath: /etc/cfg
                      volumes:
                        - name: config
                          configMap:
                            name: cfg
                """;
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("cm.yaml", configMap);
        texts.put("sts.yaml", workload);
        List<String> problems = DeploymentLint.problems(DeploymentLint.fromKubernetes(texts, image));
        assertNamed(problems, "rnn.model.cel", "num.standby.replicas", "rnn.http.prot");
        assertTrue(problems.stream().allMatch(p -> p.startsWith("sts.yaml StatefulSet p container c: ")),
                problems::toString);
        // and an unmounted --config file is a problem too
        List<String> unmounted = DeploymentLint.problems(DeploymentLint.fromKubernetes(
                Map.of("sts.yaml", workload.replace("/etc/cfg/app.properties", "/etc/other.properties")), image));
        assertNamed(unmounted, "/etc/other.properties");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void assertNamed(List<String> problems, String... names) {
        for (String name : names) {
            if (problems.stream().noneMatch(p -> p.contains(name))) {
                fail("no problem names " + name + "; problems: " + problems);
            }
        }
        assertNotEquals(List.of(), problems);
    }

    /** The effective HTTP port: given, or the settings table's default. */
    private static String httpPort(Map<String, String> settings) {
        return settings.getOrDefault("rnn.http.port",
                Settings.byName("rnn.http.port").map(Setting::defaultValue).orElse("8080"));
    }

    private static Set<String> serviceNames(List<Launch> launches) {
        return launches.stream().map(l -> l.origin().substring(l.origin().lastIndexOf(' ') + 1))
                .collect(Collectors.toSet());
    }

    private static List<Path> manifests() {
        try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
            return files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String kind) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path p : manifests()) {
            for (Object doc : DeploymentLint.yaml().loadAll(DeploymentLint.read(p))) {
                if (doc instanceof Map<?, ?> m && kind.equals(m.get("kind"))) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        assertFalse(out.isEmpty(), "no " + kind + " in deploy/k8s");
        return out;
    }
}

package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.DockerEngineProbe;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.WithKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Docker image and the compose setup, built and run for real by {@code deploy/docker/test.sh} (base images from
 * Debian packages, image build, image run against a broker answering {@code /health}, compose up with predictions
 * appearing, teardown), then the Testcontainers branch of the broker fixture on the broker image that script made.
 *
 * <p>Both need a Docker engine: without one answering, each is skipped with the reason (a failed assumption, also
 * printed). The order is fixed by nesting, not by class names: JUnit runs a class's own test methods before its
 * {@code @Nested} classes, so {@link BrokerOnTestcontainers} always finds the {@value KafkaBroker#LOCAL_IMAGE} that
 * {@link #imageAndComposeRunForReal()} built (or had cached) a moment before; failsafe's default run order
 * ({@code filesystem}) would not order separate classes by name.
 *
 * <p>Takes 5-8 minutes with the base images cached (see {@code deploy/docker/README.md}); 10-14 on a fresh machine.
 */
class DockerImageIT {

    /** test.sh's own waits are bounded (READY_TIMEOUT 240 s per wait); this bounds a hung build as well. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(40);

    private static final List<String> STEPS = List.of("base images", "image build", "image run", "compose run");

    @Test
    void imageAndComposeRunForReal() throws Exception {
        Optional<DockerEngineProbe> engine = DockerEngineProbe.locate();
        skipUnless(engine.isPresent(), "no Docker engine answers (" + DockerEngineProbe.describeCandidates()
                + "); deploy/docker/engine.sh start starts one");

        CommandRun run = CommandRun.run(List.of("bash", "deploy/docker/test.sh"), "  ", SCRIPT_TIMEOUT);

        String skipped = run.lineAfter("docker-test: SKIP: ");
        skipUnless(skipped == null, "deploy/docker/test.sh skipped: " + skipped);
        assertEquals(0, run.exitCode(), () -> "deploy/docker/test.sh failed after " + run.seconds() + " s:\n" + run.tail(40));
        assertNotNull(run.lineAfter("docker-test: PASSED in "), () -> "no PASSED line:\n" + run.tail(40));
        Path timings = CommandRun.repoRoot().resolve("target/docker-test/timings.txt");
        List<String> stepsRun = Files.readAllLines(timings).stream()
                .map(l -> l.substring(0, Math.min(22, l.length())).trim()).collect(Collectors.toList());
        assertEquals(STEPS, stepsRun, "the steps test.sh timed (" + timings + ")");
        assertTrue(run.lines().stream().anyMatch(l -> l.matches("docker-test: GET /health -> 200 .*\"status\":\"UP\".*")),
                "the image answered /health 200 UP");
        String predictions = run.lines().stream().filter(l -> l.startsWith("docker-test: a consumer read ")).findFirst()
                .orElse("docker-test: a consumer read 0 committed");
        long count = Long.parseLong(predictions.replaceAll("^docker-test: a consumer read (\\d+) committed.*", "$1"));
        assertTrue(count > 0, "compose produced predictions: " + predictions);
        System.out.printf("DockerImageIT: deploy/docker/test.sh passed in %d s (%d predictions from compose)%n",
                run.seconds(), count);
    }

    /**
     * {@link BrokerSmokeIT}'s tests on Testcontainers with the broker image test.sh made, as
     * {@code -Drnnstreams.broker.mode=testcontainers -Drnnstreams.broker.image=local/kafka:4.3.1} ran them: a broken
     * Testcontainers branch fails here instead of falling back to the broker JVM. Skipped with the reason when no
     * Docker engine answers or the image is missing.
     */
    @Nested
    @WithKafkaBroker(containerImage = KafkaBroker.LOCAL_IMAGE)
    class BrokerOnTestcontainers extends BrokerSmokeIT {
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIP DockerImageIT: " + reason);
            Assumptions.abort(reason);
        }
    }
}

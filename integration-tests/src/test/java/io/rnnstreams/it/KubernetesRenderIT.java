package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests render ({@code kubectl kustomize deploy/k8s}; no cluster runs here): the four objects,
 * each with the kustomization's common label. Needs kubectl >= 1.21 (kustomize >= 4.1, for {@code labels:});
 * skipped with the reason when kubectl is missing or older (Debian 12's kubernetes-client is 1.20).
 */
class KubernetesRenderIT {

    private static final int MIN_MINOR = 21;
    private static final Pattern MINOR = Pattern.compile("\"minor\"\\s*:\\s*\"(\\d+)");

    @Test
    void deployK8sRendersTheFourObjectsWithTheCommonLabel() throws Exception {
        CommandRun version;
        try {
            version = CommandRun.run(List.of("kubectl", "version", "--client", "-o", "json"), "  kubectl: ", Duration.ofSeconds(60));
        } catch (java.io.IOException e) {
            skip("no kubectl on PATH (" + e.getMessage() + ")");
            return;
        }
        Matcher minor = MINOR.matcher(String.join("\n", version.lines()));
        if (version.exitCode() != 0 || !minor.find()) {
            skip("kubectl version --client -o json gave no client version (exit " + version.exitCode() + ")");
        }
        if (Integer.parseInt(minor.group(1)) < MIN_MINOR) {
            skip("kubectl 1." + minor.group(1) + " is older than 1." + MIN_MINOR + " (its kustomize lacks 'labels:')");
        }

        CommandRun render = CommandRun.run(List.of("kubectl", "kustomize", "deploy/k8s"), "", Duration.ofSeconds(120));

        assertEquals(0, render.exitCode(), () -> "kubectl kustomize deploy/k8s failed:\n" + render.tail(20));
        List<String> kinds = render.lines().stream().filter(l -> l.startsWith("kind: "))
                .map(l -> l.substring(6)).sorted().collect(Collectors.toList());
        assertEquals(List.of("ConfigMap", "PodDisruptionBudget", "Service", "StatefulSet"), kinds);
        long labelled = render.lines().stream().filter(l -> l.trim().equals("app.kubernetes.io/part-of: rnn-streams")).count();
        assertTrue(labelled >= kinds.size(), "each object carries the common label: " + labelled + " label lines");
        assertTrue(render.lines().stream().anyMatch(l -> l.trim().equals("image: rnn-streams:0.1.0-SNAPSHOT")),
                "the kustomization's image tag is applied");
    }

    private static void skip(String reason) {
        System.out.println("SKIP KubernetesRenderIT: " + reason);
        Assumptions.abort(reason);
    }
}

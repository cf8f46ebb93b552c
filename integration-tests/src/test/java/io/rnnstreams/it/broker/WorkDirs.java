package io.rnnstreams.it.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A broker test's own directory for state directories and processor logs: {@code <workDir>/<prefix>-<8 hex>},
 * where {@code workDir} is the system property {@code rnnstreams.broker.workDir} (Maven sets
 * {@code integration-tests/target}; {@code target} otherwise). Its name is unique per call, so tests also use
 * it as their {@code application.id} and topic prefix.
 */
public final class WorkDirs {
    private WorkDirs() {
    }

    /** Creates and returns a new, empty directory named {@code <prefix>-<8 random hex digits>}. */
    public static Path create(String prefix) throws IOException {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return Files.createDirectories(Path.of(System.getProperty("rnnstreams.broker.workDir", "target"))
                .toAbsolutePath().resolve(name));
    }
}

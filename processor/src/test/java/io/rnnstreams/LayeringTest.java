package io.rnnstreams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the package layering of main code (docs: the "Target layout" of issue 11), read from the compiled
 * classes of every module on this module's classpath (engine, schemas, processor; tests left out), so it sees
 * every dependency the bytecode has: imports, fully qualified names, field and method types, constants are
 * the exception (javac inlines them).
 *
 * <p>Bottom to top, arrows only downward:
 * {@code model <- eval <- learner <- config <- stream <- http <- tools (replay, backtest, accuracy, demo, tail) <- cli};
 * the Avro classes of {@code schemas} ({@code io.rnnstreams.avro}) sit beside {@code config}, below
 * {@code stream}. The engine ({@code model}, {@code eval}, {@code learner}) knows no Kafka and no Avro.
 *
 * <p>Shown failing once on a planted wrong import (see the commit that added this test).
 */
class LayeringTest {
    private static final String[] ENGINE = {"io.rnnstreams.model..", "io.rnnstreams.eval..",
            "io.rnnstreams.learner.."};
    private static final String[] TOOLS = {"io.rnnstreams.replay..", "io.rnnstreams.backtest..",
            "io.rnnstreams.accuracy..", "io.rnnstreams.demo..", "io.rnnstreams.tail.."};
    private static final String[] ABOVE_ENGINE = {"io.rnnstreams.config..", "io.rnnstreams.stream..",
            "io.rnnstreams.http..", "io.rnnstreams.replay..", "io.rnnstreams.backtest..",
            "io.rnnstreams.accuracy..", "io.rnnstreams.demo..", "io.rnnstreams.tail..", "io.rnnstreams.cli.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(LayeringTest::projectCode)
                .importPackages("io.rnnstreams");
        // the reactor puts engine and schemas on the class path as target/classes (test phase) or as their jars
        // (verify phase); a module missing altogether would leave its layer unchecked, silently
        for (String layer : new String[] {"model", "eval", "learner", "avro", "config", "stream", "http", "replay",
                "backtest", "accuracy", "demo", "tail", "cli"}) {
            assertTrue(main.stream().anyMatch(c -> c.getPackageName().equals("io.rnnstreams." + layer)),
                    "no class of io.rnnstreams." + layer + " was imported: build with -am (the reactor)");
        }
    }

    /** Class folders, and the jars of this project's own modules ({@code rnn-streams-*.jar}); no other jar. */
    private static boolean projectCode(Location location) {
        return !location.isJar() || location.contains("/rnn-streams-");
    }

    @Test
    void everyMainPackageHasAPlaceInTheLayers() {
        classes().should().resideInAnyPackage(Stream.of(ENGINE, ABOVE_ENGINE, new String[] {"io.rnnstreams.avro.."})
                        .flatMap(Stream::of).toArray(String[]::new))
                .because("a new package must be given its layer here and in LAYOUT (package-info says which)")
                .check(main);
    }

    @Test
    void theEngineKnowsNoKafkaNoAvroAndNoUpperPackage() {
        noClasses().that().resideInAnyPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage(Stream.of(
                                new String[] {"org.apache.kafka..", "org.apache.avro..", "io.rnnstreams.avro.."},
                                ABOVE_ENGINE)
                        .flatMap(Stream::of).toArray(String[]::new))
                .because("the engine (module engine: model, eval, learner) is plain Java and jblas")
                .check(main);
    }

    @Test
    void everyDependencyPointsDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("model").definedBy("io.rnnstreams.model..")
                .layer("eval").definedBy("io.rnnstreams.eval..")
                .layer("learner").definedBy("io.rnnstreams.learner..")
                .layer("avro").definedBy("io.rnnstreams.avro..")
                .layer("config").definedBy("io.rnnstreams.config..")
                .layer("stream").definedBy("io.rnnstreams.stream..")
                .layer("http").definedBy("io.rnnstreams.http..")
                .layer("tools").definedBy(TOOLS)
                .layer("cli").definedBy("io.rnnstreams.cli..")
                .whereLayer("model").mayNotAccessAnyLayer()
                .whereLayer("eval").mayOnlyAccessLayers("model")
                .whereLayer("learner").mayOnlyAccessLayers("model", "eval")
                .whereLayer("avro").mayNotAccessAnyLayer()
                .whereLayer("config").mayOnlyAccessLayers("model", "eval", "learner")
                .whereLayer("stream").mayOnlyAccessLayers("model", "eval", "learner", "avro", "config")
                .whereLayer("http").mayOnlyAccessLayers("model", "eval", "learner", "avro", "config", "stream")
                .whereLayer("tools").mayOnlyAccessLayers("model", "eval", "learner", "avro", "config", "stream",
                        "http")
                .whereLayer("cli").mayOnlyAccessLayers("model", "eval", "learner", "avro", "config", "stream",
                        "http", "tools")
                .check(main);
    }

    /** Read from the sources (javac writes no class file for a package-info without annotations). */
    @Test
    void everyMainPackageSaysWhatItHoldsAndMayImport() throws IOException {
        List<String> missing = new ArrayList<>();
        int packages = 0;
        for (String module : new String[] {"../engine", "../schemas", "."}) {
            Path sources = Path.of(module, "src/main/java");
            assertTrue(Files.isDirectory(sources), sources + " is not a directory");
            try (Stream<Path> dirs = Files.walk(sources)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    boolean hasJava;
                    try (Stream<Path> files = Files.list(dir)) {
                        hasJava = files.anyMatch(f -> f.toString().endsWith(".java"));
                    }
                    if (!hasJava) {
                        continue;
                    }
                    packages++;
                    Path info = dir.resolve("package-info.java");
                    if (!Files.exists(info) || !Files.readString(info).contains("May import")) {
                        missing.add(sources.relativize(dir).toString());
                    }
                }
            }
        }
        assertTrue(packages >= 12, "found " + packages + " packages");
        assertEquals(List.of(), missing, "packages without a package-info.java saying what they may import");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.rnnstreams.(*)..").should().beFreeOfCycles().check(main);
    }
}

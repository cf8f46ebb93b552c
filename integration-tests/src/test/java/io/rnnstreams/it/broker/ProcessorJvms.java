package io.rnnstreams.it.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The processor JVMs a test starts, every one of them stopped ({@link ProcessorJvm#close()}: SIGKILL if still
 * alive) after each test, whether it passed or failed, so that no application keeps consuming into the next test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final ProcessorJvms jvms = new ProcessorJvms();
 * ...
 * ProcessorJvm run = jvms.start(settings, work, "run-0");
 * }</pre>
 */
public final class ProcessorJvms implements AfterEachCallback {
    private final List<ProcessorJvm> started = new ArrayList<>();

    /**
     * Starts the application jar ({@link ProcessorJvm#locateJar()}) with {@code settings}; its output goes to
     * {@code <logDir>/<name>.out|.err}.
     */
    public ProcessorJvm start(Map<String, String> settings, Path logDir, String name) {
        return add(ProcessorJvm.start(ProcessorJvm.locateJar(), settings, logDir, name));
    }

    /** Takes a JVM started otherwise (another jar, JVM options, a command) into this test's care. */
    public ProcessorJvm add(ProcessorJvm jvm) {
        started.add(jvm);
        return jvm;
    }

    /** The {@code index}-th JVM started in this test. */
    public ProcessorJvm get(int index) {
        return started.get(index);
    }

    /** The JVMs started in this test, in order. */
    public List<ProcessorJvm> all() {
        return List.copyOf(started);
    }

    /** One line per JVM started in this test, in order: where its standard output and error are. */
    public String logs() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < started.size(); i++) {
            lines.append("  ").append(i).append(": ").append(started.get(i).logs()).append('\n');
        }
        return lines.toString();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        try {
            for (ProcessorJvm jvm : started) {
                jvm.close();
            }
        } finally {
            started.clear();
        }
    }
}

package io.rnnstreams.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the offline report commands ({@code accuracy}, {@code detection}) hand their Markdown tables out. */
final class MarkdownReport {
    private MarkdownReport() {
    }

    /**
     * Prints {@code markdown} to {@code out}, writes it to {@code output} (creating its folder) and says so on
     * {@code err} ("rnn-streams: {what} tables written to ...").
     *
     * @throws IOException if the file cannot be written
     */
    static void publish(CharSequence markdown, Path output, String what, PrintWriter out, PrintWriter err)
            throws IOException {
        out.print(markdown);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(output, markdown, StandardCharsets.UTF_8);
        err.println("rnn-streams: " + what + " tables written to " + output);
    }
}

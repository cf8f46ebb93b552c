package io.rnnstreams.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The live page's files, served under {@value #PATH}: {@code index.html} (also at {@value #PATH} itself), its
 * script and style, and the vendored chart library uPlot 1.6.32 (MIT, {@code uPlot.LICENSE}; one 51 KB file,
 * no build step). A fixed list of classpath resources under {@code io/rnnstreams/http/live/}, read once when
 * the server starts (a missing one fails the start); any other name is not found, so no request names a file.
 *
 * <p>The page only reads the JSON routes ({@code /sensors}, {@code /sensors/{id}}) by polling, one request at
 * a time per poller: it holds no connection open and adds no route that waits. Every response carries a
 * Content-Security-Policy that allows scripts, styles and requests from this origin only (no inline script),
 * so a sensor id that slipped past the page's escaping still could not run.
 */
final class LivePage {
    /** The path prefix of the page. */
    static final String PATH = "/live/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String RESOURCES = "/io/rnnstreams/http/live/";
    private static final String INDEX = "index.html";
    private static final Map<String, String> TYPES = Map.of(
            INDEX, "text/html; charset=utf-8",
            "live.js", "text/javascript; charset=utf-8",
            "live.css", "text/css; charset=utf-8",
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8",
            "uPlot.LICENSE", "text/plain; charset=utf-8");

    private final Map<String, ApiResponse> files;

    /** @throws UncheckedIOException if a file of the page is missing from the classpath */
    LivePage() {
        Map<String, ApiResponse> loaded = new LinkedHashMap<>();
        TYPES.forEach((name, type) -> loaded.put(name, new ApiResponse(200, type, read(name), Map.of())
                .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer")));
        this.files = Map.copyOf(loaded);
    }

    /**
     * The file at {@code name} below {@value #PATH}; the empty name is {@code index.html}.
     *
     * @return the response, or empty for a name that is not one of the page's files
     */
    Optional<ApiResponse> file(String name) {
        return Optional.ofNullable(files.get(name.isEmpty() ? INDEX : name));
    }

    /** A redirect of {@code /live} to {@value #PATH}, whose relative links resolve inside it. */
    static ApiResponse redirectToIndex() {
        return new ApiResponse(308, "text/plain; charset=utf-8", new byte[0], Map.of("Location", PATH));
    }

    private static byte[] read(String name) {
        try (InputStream in = LivePage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the live page's file " + RESOURCES + name + ": " + e.getMessage(), e);
        }
    }
}

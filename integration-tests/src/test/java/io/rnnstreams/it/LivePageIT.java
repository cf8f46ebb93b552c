package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.stream.AvroSerde;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 15 item 1: the live page ({@code /live/}) in a real headless browser (Debian's chromium driven through
 * its chromium-driver by Selenium) against a processor JVM fed through a real broker.
 * <ul>
 *   <li>the page lists the 3 sensors of the run, a hostile id ({@code <b id="injected">...}) shown as text and
 *       not parsed as markup;</li>
 *   <li>opened on one sensor, its chart holds that sensor's {@value #R} readings' last state; then
 *       {@value #MORE} new readings are produced one at a time, and after each the chart gains a point whose
 *       actual value is the reading produced and, from the second on, a forecast (the one made at the reading
 *       before, as the summary JSON said); the last is a spike that raises an alarm (the prediction says so), and
 *       the chart marks one alarm and the list says ACTIVE;</li>
 *   <li>the interval band is drawn exactly when the sensor JSON carries {@code intervalLower}: not with this
 *       processor's JSON (no intervals yet), and yes with a stand-in server's ({@link IntervalServer}), whose page
 *       draws the band's two series.</li>
 * </ul>
 * One browser session. Chromium and chromium-driver missing: the test fails when {@value #REQUIRE_BROWSER} is
 * {@code 1} (set by {@code .ci/run}, which installs them) and is skipped with the reason otherwise. The page's
 * screenshot: {@code integration-tests/target/live-page.png}.
 */
@WithKafkaBroker
@DisabledIf(value = "skippedWithoutBrowser", disabledReason = "no chromium or chromium-driver (the line above says which)")
class LivePageIT {
    static final String REQUIRE_BROWSER = "RNNSTREAMS_REQUIRE_BROWSER";
    static final String CHROMIUM = System.getProperty("rnnstreams.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("rnnstreams.chromedriver", "/usr/bin/chromedriver");
    /** Readings per sensor before the page loads: past the detector's warm-up (20) and its level fit (<= 90 more). */
    static final int R = 120;
    static final int MORE = 5;
    static final double SPIKE = 100.0;
    static final String WATCHED = "pump-1";
    static final List<String> SENSORS = List.of(WATCHED, "pump-2", "<b id=\"injected\">x</b>&amp;'");
    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Null when chromium and its driver are here; else why not. */
    static String browserMissing() {
        for (String file : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!new File(file).canExecute()) {
                return file + " is missing (apt-get install chromium chromium-driver; .ci/run installs them)";
            }
        }
        return null;
    }

    /**
     * Whether to skip the class (before its broker starts): the browser is missing and not required. When it is
     * required ({@value #REQUIRE_BROWSER}=1) the test runs and fails.
     */
    static boolean skippedWithoutBrowser() {
        String missing = browserMissing();
        if (missing == null || "1".equals(System.getenv(REQUIRE_BROWSER))) {
            return false;
        }
        System.out.println("LivePageIT: skipped: " + missing);
        return true;
    }

    @Test
    void thePageListsTheSensorsAndItsChartFollowsNewReadings(KafkaBroker broker) throws Exception {
        String missing = browserMissing();
        if (missing != null) {
            Assertions.fail(REQUIRE_BROWSER + "=1 but " + missing);
        }
        long t0 = System.nanoTime();
        Path work = WorkDirs.create("live");
        String id = work.getFileName().toString();
        String input = id + "-readings";
        String predictions = id + "-predictions";
        String deadLetters = id + "-dead-letters";
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(input, 1, (short) 1), new NewTopic(predictions, 1, (short) 1),
                    new NewTopic(deadLetters, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        int port = KafkaBroker.freePorts(1)[0];
        String url = "http://127.0.0.1:" + port;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("application.id", id);
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("rnn.topic.input", input);
        settings.put("rnn.topic.predictions", predictions);
        settings.put("rnn.topic.dead-letters", deadLetters);
        settings.put("rnn.model.channels", "2");
        settings.put("rnn.model.hidden", "8");
        settings.put("rnn.train.k1", "8");
        settings.put("rnn.train.k2", "8");
        // the score counts after a 20-reading warm-up and the level test's fit (at most 90 more readings: R is past
        // both), and an alarm re-arms after one reading below the threshold
        settings.put("rnn.anomaly.warm-up", "20");
        settings.put("rnn.anomaly.quiet", "1");
        settings.put("commit.interval.ms", "100");
        settings.put("state.dir", work.resolve("state").toString());
        settings.put("rnn.http.enabled", "true");
        settings.put("rnn.http.port", Integer.toString(port));
        ProcessorJvm processor = ProcessorJvm.start(ProcessorJvm.locateJar(), settings, work, "processor");
        open.add(processor::close);

        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (JsonNode h = null; h == null || !h.get("state").asText().equals("RUNNING"); Thread.sleep(250)) {
                assertTrue(processor.isAlive(), "the processor exited; logs " + processor.logs());
                assertTrue(System.nanoTime() < deadline, "the processor not RUNNING after " + TIMEOUT);
                h = HttpApiIT.jsonOrNull(url + "/health");
            }
            for (int t = 0; t < R; t++) {
                for (int k = 0; k < SENSORS.size(); k++) {
                    send(producer, input, SENSORS.get(k), t, values(k, t));
                }
            }
            producer.flush();
            KafkaClients.awaitCommitted(broker.bootstrapServers(), predictions, SENSORS.size() * R, TIMEOUT);
            System.out.printf("LivePageIT: %d readings predicted after %.1f s%n", SENSORS.size() * R,
                    (System.nanoTime() - t0) / 1e9);

            ChromeDriver browser = browser();
            open.add(browser::quit);
            browser.get(url + "/live/#sensor=" + URLEncoder.encode(WATCHED, StandardCharsets.UTF_8));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));

            // the list: every sensor of the run, ids as text
            WebElement table = browser.findElement(By.id("sensors"));
            wait.until(b -> table.getAttribute("data-count").equals(Integer.toString(SENSORS.size())));
            Set<String> listed = new TreeSet<>();
            for (WebElement row : table.findElements(By.cssSelector("tbody tr"))) {
                listed.add(row.getAttribute("data-sensor"));
                String shown = row.findElement(By.cssSelector("td.sensor")).getText();
                assertEquals(row.getAttribute("data-sensor"), shown, "the id is shown as it is");
            }
            assertEquals(new TreeSet<>(SENSORS), listed);
            assertTrue(browser.findElements(By.id("injected")).isEmpty(), "a sensor id is never parsed as HTML");

            // the chart of the watched sensor, then new readings one at a time
            WebElement chart = browser.findElement(By.id("forecast-chart"));
            assertEquals(WATCHED, chart.getAttribute("data-sensor"));
            wait.until(b -> Integer.toString(R).equals(chart.getAttribute("data-last-readings")));
            int pointsBefore = Integer.parseInt(chart.getAttribute("data-points"));
            int forecastsBefore = Integer.parseInt(chart.getAttribute("data-forecast-points"));
            int alarmsBefore = Integer.parseInt(chart.getAttribute("data-alarms"));
            for (int t = R; t < R + MORE; t++) {
                JsonNode before = HttpApiIT.jsonOrNull(url + "/sensors/" + WATCHED);
                double[] x = values(0, t);
                if (t == R + MORE - 1) {
                    x[0] += SPIKE;
                }
                send(producer, input, WATCHED, t, x);
                producer.flush();
                String readings = Integer.toString(t + 1);
                wait.until(b -> readings.equals(chart.getAttribute("data-last-readings")));
                // the default hybrid learner keeps the last reading as its persistence member's float (key state in
                // float, docs/accuracy.md): within float rounding (2^-24 relative), not 1e-9 as the plain RNN's
                assertEquals(x[0], Double.parseDouble(chart.getAttribute("data-last-actual")),
                        1e-7 * Math.max(1, Math.abs(x[0])), "the actual value of reading " + t);
                assertEquals(before.at("/lastForecast/0").asDouble(),
                        Double.parseDouble(chart.getAttribute("data-last-point-forecast")), 0.0,
                        "the new point's forecast is the one made at the reading before");
                JsonNode now = HttpApiIT.jsonOrNull(url + "/sensors/" + WATCHED);
                assertEquals(now.at("/lastForecast/0").asDouble(),
                        Double.parseDouble(chart.getAttribute("data-last-forecast")), 0.0, "the forecast of the next");
                assertEquals(Boolean.toString(now.path("intervalLower").size() > 0), chart.getAttribute("data-band"),
                        "a band exactly when the sensor JSON has intervals");
            }
            assertEquals(pointsBefore + MORE, Integer.parseInt(chart.getAttribute("data-points")));
            assertEquals(forecastsBefore + MORE, Integer.parseInt(chart.getAttribute("data-forecast-points")));

            // the spike: an alarm in the prediction, on the chart and in the list
            Prediction last = lastPrediction(broker.bootstrapServers(), predictions, SENSORS.size() * R + MORE);
            assertTrue(last.getAnomaly(), "the spike raised an alarm: score " + last.getAnomalyScore());
            assertEquals("true", chart.getAttribute("data-alarm-active"));
            assertEquals(Integer.toString(alarmsBefore + 1), chart.getAttribute("data-alarms"));
            wait.until(b -> !b.findElements(By.cssSelector("tr.selected td.alarm-active")).isEmpty());
            assertEquals("ACTIVE", table.findElement(By.cssSelector("tr.selected td.alarm-active")).getText());

            System.out.println("LivePageIT: GET /sensors/" + WATCHED + " after the spike: "
                    + HttpApiIT.get(url + "/sensors/" + WATCHED).body());
            Path png = work.getParent().resolve("live-page.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);

            // the band, in the same browser, from a stand-in server whose sensor JSON carries intervals
            try (IntervalServer intervals = new IntervalServer()) {
                browser.get(intervals.url() + "/live/#sensor=" + IntervalServer.SENSOR);
                WebElement banded = browser.findElement(By.id("forecast-chart"));
                // the new page's script sets the attribute after the element exists: absent means not drawn yet
                // (a clean-clone CI run of 07b91b9 failed on Integer.parseInt(null) here instead of waiting)
                wait.until(b -> {
                    String points = banded.getAttribute("data-forecast-points");
                    return points != null && Integer.parseInt(points) >= 3;
                });
                assertEquals("true", banded.getAttribute("data-band"));
                Object lowUp = browser.executeScript("const u = arguments[0].querySelectorAll('.u-legend .u-label');"
                        + "return Array.from(u).map(e => e.textContent.trim()).join(',');", banded);
                assertEquals("Time,actual,forecast,interval low,interval high", lowUp, "the band's two series drawn");
            }
            System.out.printf("LivePageIT: done after %.1f s; screenshot %s%n", (System.nanoTime() - t0) / 1e9, png);
        }
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,950", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Sensor k's reading t: the broker tests' two-channel series ({@link EndToEndIT#reading}). */
    static double[] values(int k, int t) {
        double season = Math.sin(2 * Math.PI * t / (30 + k)) * (1 + k % 5);
        double slow = Math.cos(t * 0.003 * (1 + k % 3)) * 3;
        return new double[] {season + 0.1 * k, slow - k};
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String sensor, int t, double[] x) {
        byte[] value = EndToEndIT.READINGS.encode(SensorReading.newBuilder()
                .setEventTime(Instant.ofEpochMilli(EndToEndIT.time(t))).setValues(List.of(x[0], x[1]))
                .setTags(Map.of()).build());
        producer.send(new ProducerRecord<>(topic, null, EndToEndIT.time(t), sensor, value));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static Prediction lastPrediction(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> all = KafkaClients.awaitCommitted(bootstrap, topic, expected, TIMEOUT);
        ConsumerRecord<byte[], byte[]> last = all.get(all.size() - 1);
        assertEquals(WATCHED, new String(last.key(), StandardCharsets.UTF_8));
        return AvroSerde.of(Prediction.class).deserializer().deserialize(topic, last.value());
    }

    /**
     * A stand-in for the HTTP API with the page's files from the processor's jar and one sensor whose JSON
     * carries {@code intervalLower} / {@code intervalUpper} (steps x channels): every request of it is one
     * reading further, so each summary the page sees follows the one before.
     */
    static final class IntervalServer implements AutoCloseable {
        static final String SENSOR = "banded";
        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.atomic.AtomicLong readings = new java.util.concurrent.atomic.AtomicLong(10);

        IntervalServer() throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    byte[] body;
                    String type = "application/json";
                    if (path.startsWith("/live/")) {
                        String name = path.substring("/live/".length());
                        try (java.io.InputStream in = LivePageIT.class.getResourceAsStream(
                                "/io/rnnstreams/http/live/" + (name.isEmpty() ? "index.html" : name))) {
                            body = in.readAllBytes();
                        }
                        type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
                    } else if (path.equals("/sensors")) {
                        body = ("{\"sensors\":[\"" + SENSOR + "\"],\"next\":null}").getBytes(StandardCharsets.UTF_8);
                    } else {
                        long n = readings.incrementAndGet();
                        double x = Math.sin(n / 3.0);
                        double f = Math.sin((n + 1) / 3.0);
                        body = String.format(java.util.Locale.ROOT, "{\"sensor\":\"%s\",\"readings\":%d,"
                                + "\"lastReadingTimeMillis\":%d,\"anomalyScore\":0.5,\"alarmActive\":false,"
                                + "\"lastReading\":[%s],\"lastForecast\":[%s],\"intervalLower\":[[%s]],"
                                + "\"intervalUpper\":[[%s]]}", SENSOR, n, EndToEndIT.time((int) n), x, f, f - 0.5,
                                f + 0.5).getBytes(StandardCharsets.UTF_8);
                    }
                    exchange.getResponseHeaders().set("Content-Type", type);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

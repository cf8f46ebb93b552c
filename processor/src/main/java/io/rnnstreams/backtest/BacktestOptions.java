package io.rnnstreams.backtest;

import io.rnnstreams.eval.OnlineAr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to backtest and how. Validated on construction ({@link IllegalArgumentException} naming the option).
 *
 * @param inputTopic        the sensor topic to replay from its earliest offset
 * @param outputTopic       where the backtest's predictions go; default {@code inputTopic + "-backtest-predictions"}
 * @param deadLetterTopic   where its dead letters go (never the application's own dead-letter topic);
 *                          default {@code outputTopic + "-dead-letters"}
 * @param plotDir           directory for the PNG charts, or null for none
 * @param plotSensors       sensors to chart; empty = the first {@value #DEFAULT_PLOT_SENSORS} in name order
 * @param anomalyThreshold  readings whose anomaly score is at least this are listed, in [0, 1]
 * @param anomalyListLimit  at most this many anomalies are printed per sensor (all are in the report)
 * @param timeout           bound on the whole run: processing the input and reading the results back
 * @param arOrder           order {@code p} of the AR baseline
 * @param arLambda          its forgetting factor
 * @param arDelta           its initial {@code P = delta I}
 * @param labels            labelled anomaly windows ({@code --labels}): the report then ends with the detection
 *                          table and the charts mark the labelled readings; null for none
 * @param plots             the charts' window and channel ({@link PlotOptions#DEFAULTS}: the whole range, every
 *                          channel); null means the defaults
 */
public record BacktestOptions(String inputTopic, String outputTopic, String deadLetterTopic, Path plotDir,
                              List<String> plotSensors, double anomalyThreshold, int anomalyListLimit,
                              Duration timeout, int arOrder, double arLambda, double arDelta,
                              LabelWindows labels, PlotOptions plots) {
    /** Default anomaly threshold. */
    public static final double DEFAULT_THRESHOLD = 0.9999;
    /** Default number of anomalies printed per sensor. */
    public static final int DEFAULT_LIST_LIMIT = 20;
    /** Default timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Sensors charted when none are named. */
    public static final int DEFAULT_PLOT_SENSORS = 3;

    public BacktestOptions {
        require(inputTopic != null && !inputTopic.isBlank(), "--input-topic is required");
        outputTopic = outputTopic == null || outputTopic.isBlank() ? inputTopic + "-backtest-predictions"
                : outputTopic;
        deadLetterTopic = deadLetterTopic == null || deadLetterTopic.isBlank() ? outputTopic + "-dead-letters"
                : deadLetterTopic;
        plotSensors = List.copyOf(plotSensors == null ? List.of() : plotSensors);
        requireTopic(inputTopic, "--input-topic");
        requireTopic(outputTopic, "--output-topic");
        requireTopic(deadLetterTopic, "--dead-letter-topic");
        require(!outputTopic.equals(inputTopic), "--output-topic must differ from --input-topic");
        require(!deadLetterTopic.equals(inputTopic) && !deadLetterTopic.equals(outputTopic),
                "the backtest's dead-letter topic must differ from its input and output topics, got "
                        + deadLetterTopic);
        require(anomalyThreshold >= 0 && anomalyThreshold <= 1,
                "--anomaly-threshold must be in [0, 1], got " + anomalyThreshold);
        require(anomalyListLimit >= 0, "the anomaly list limit must be >= 0, got " + anomalyListLimit);
        Objects.requireNonNull(timeout, "timeout");
        require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive, got " + timeout);
        require(arOrder >= 1 && arOrder <= 64, "the AR order must be in [1, 64], got " + arOrder);
        require(arLambda > 0 && arLambda <= 1, "the AR forgetting factor must be in (0, 1], got " + arLambda);
        require(arDelta > 0 && Double.isFinite(arDelta), "the AR delta must be > 0, got " + arDelta);
        plots = plots == null ? PlotOptions.DEFAULTS : plots;
    }

    /** Every default, for {@code inputTopic}. */
    public static BacktestOptions of(String inputTopic) {
        return new BacktestOptions(inputTopic, null, null, null, List.of(), DEFAULT_THRESHOLD, DEFAULT_LIST_LIMIT,
                DEFAULT_TIMEOUT, OnlineAr.DEFAULT_ORDER, OnlineAr.DEFAULT_LAMBDA, OnlineAr.DEFAULT_DELTA, null,
                PlotOptions.DEFAULTS);
    }

    /** A copy with another output topic (and the dead-letter topic derived from it unless set apart). */
    public BacktestOptions withOutputTopic(String topic) {
        String dlq = deadLetterTopic.equals(outputTopic + "-dead-letters") ? null : deadLetterTopic;
        return new BacktestOptions(inputTopic, topic, dlq, plotDir, plotSensors, anomalyThreshold,
                anomalyListLimit, timeout, arOrder, arLambda, arDelta, labels, plots);
    }

    /** A copy that writes charts of {@code sensors} (empty: the default ones) to {@code dir}. */
    public BacktestOptions withPlots(Path dir, List<String> sensors) {
        return new BacktestOptions(inputTopic, outputTopic, deadLetterTopic, dir, sensors, anomalyThreshold,
                anomalyListLimit, timeout, arOrder, arLambda, arDelta, labels, plots);
    }

    /** A copy with another anomaly threshold. */
    public BacktestOptions withAnomalyThreshold(double threshold) {
        return new BacktestOptions(inputTopic, outputTopic, deadLetterTopic, plotDir, plotSensors, threshold,
                anomalyListLimit, timeout, arOrder, arLambda, arDelta, labels, plots);
    }

    /** A copy that scores the anomaly scores against {@code windows} (null: no labels). */
    public BacktestOptions withLabels(LabelWindows windows) {
        return new BacktestOptions(inputTopic, outputTopic, deadLetterTopic, plotDir, plotSensors, anomalyThreshold,
                anomalyListLimit, timeout, arOrder, arLambda, arDelta, windows, plots);
    }

    /** A copy whose charts show {@code p}'s window and channel. */
    public BacktestOptions withPlotOptions(PlotOptions p) {
        return new BacktestOptions(inputTopic, outputTopic, deadLetterTopic, plotDir, plotSensors, anomalyThreshold,
                anomalyListLimit, timeout, arOrder, arLambda, arDelta, labels, p);
    }

    /** A copy with another timeout. */
    public BacktestOptions withTimeout(Duration t) {
        return new BacktestOptions(inputTopic, outputTopic, deadLetterTopic, plotDir, plotSensors, anomalyThreshold,
                anomalyListLimit, t, arOrder, arLambda, arDelta, labels, plots);
    }

    /** A copy with another dead-letter topic. */
    public BacktestOptions withDeadLetterTopic(String topic) {
        return new BacktestOptions(inputTopic, outputTopic, topic, plotDir, plotSensors, anomalyThreshold,
                anomalyListLimit, timeout, arOrder, arLambda, arDelta, labels, plots);
    }

    private static void requireTopic(String topic, String option) {
        require(topic.matches("[a-zA-Z0-9._-]{1,249}"), option + " must be a Kafka topic name (1 to 249 of "
                + "[a-zA-Z0-9._-]), got '" + topic + "'");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

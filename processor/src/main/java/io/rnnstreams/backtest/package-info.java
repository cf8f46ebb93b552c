/**
 * {@code rnn-streams backtest} as a library: replays a sensor topic through the forecasting topology under a
 * fresh application id ({@link io.rnnstreams.backtest.Backtest}), pairs the predictions with the readings,
 * scores the RNN, an online AR(p) baseline and persistence per sensor ({@link io.rnnstreams.backtest.SensorScorer}
 * with {@code eval}'s error sums), and writes the report and plots.
 *
 * <p>May import: {@code stream}, {@code config}, {@code learner}, {@code eval}, {@code model}, the Avro classes,
 * Kafka clients. Not {@code cli} (the command {@code io.rnnstreams.cli.BacktestCommand} calls this package).
 */
package io.rnnstreams.backtest;

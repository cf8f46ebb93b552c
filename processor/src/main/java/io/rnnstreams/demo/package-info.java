/**
 * {@code rnn-streams demo}'s data: a generated set of sensors with injected anomalies
 * ({@link io.rnnstreams.demo.DemoData}). The command ({@code io.rnnstreams.cli.DemoCommand}) streams it through
 * {@code replay} and scores it with {@code backtest}.
 *
 * <p>May import: what is below the tools; not {@code cli}.
 */
package io.rnnstreams.demo;

/**
 * {@code rnn-streams accuracy} as a library: prequential scoring of the RNN and the baselines on generated
 * series of known structure and on ETTh1 ({@link io.rnnstreams.accuracy.Accuracy}, data from
 * {@link io.rnnstreams.accuracy.GeneratedSeries} and {@link io.rnnstreams.accuracy.EttData}), in process,
 * through the same {@code learner} code the stream runs ({@link io.rnnstreams.accuracy.RnnMethod}).
 *
 * <p>May import: {@code learner}, {@code eval}, {@code model}, {@code config}. No Kafka needed; not {@code cli}
 * (the command {@code io.rnnstreams.cli.AccuracyCommand} calls this package).
 */
package io.rnnstreams.accuracy;

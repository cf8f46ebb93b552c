/**
 * {@code rnn-streams tail} as a library: prints the predictions topic (in whichever {@code rnn.format.output} it
 * is written) and the dead-letter topic (with the reason of each dead letter) as JSON lines or a table, from the
 * start or following new records, filtered by sensor ({@link io.rnnstreams.tail.Tail}).
 *
 * <p>May import: {@code stream}, {@code config}, the Avro classes, Kafka clients, Jackson. Not {@code cli} (the
 * command {@code io.rnnstreams.cli.TailCommand} calls this package).
 */
package io.rnnstreams.tail;

/**
 * {@code rnn-streams replay}: historical readings from files to the sensor topic.
 *
 * <p>{@link io.rnnstreams.replay.ReadingSources#open} opens a file as a {@link io.rnnstreams.replay.ReadingSource},
 * which yields {@link io.rnnstreams.replay.SourceRow}s: readings, or bad rows with their line and reason.
 * Layouts:
 * <ul>
 *   <li>{@link io.rnnstreams.replay.CsvReadingSource}: header {@code timestamp,sensor,<channel>...}, one reading a
 *       row;</li>
 *   <li>{@link io.rnnstreams.replay.WideCsvReadingSource}: any other header, such as ETTh1's
 *       {@code date,HUFL,...,OT}: the first column the time, the others channels, each row one reading of one
 *       sensor ({@code --sensor-id}, else the file name without extensions);</li>
 *   <li>{@link io.rnnstreams.replay.AvroReadingSource}: Avro object container files of records with
 *       {@code sensor}, {@code eventTime}, {@code values} and optional {@code tags} ({@link
 *       io.rnnstreams.replay.ReplayAvro}).</li>
 * </ul>
 * Timestamps are epoch milliseconds or ISO-8601 (no offset: UTC). A row is bad only when it cannot become a
 * SensorReading; NaN, infinite, out-of-order or wrongly sized readings are sent, for the processor to
 * dead-letter.
 *
 * <p>{@link io.rnnstreams.replay.Replayer} produces them (idempotent producer, key = sensor id, value = the
 * single-object encoded SensorReading, record timestamp = event time), paced by a
 * {@link io.rnnstreams.replay.Pacer} when asked, with {@link io.rnnstreams.replay.Progress} on stderr, and returns
 * a {@link io.rnnstreams.replay.ReplaySummary}. The command line ({@code rnn-streams replay},
 * {@code io.rnnstreams.cli.ReplayCommand}) calls it.
 *
 * <p>May import: the Avro classes of {@code io.rnnstreams.avro}, Kafka clients, Avro, and the layers below the
 * tools. Not {@code cli}.
 */
package io.rnnstreams.replay;

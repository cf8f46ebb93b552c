package io.rnnstreams.replay;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The rows of one input file, in file order: parsed readings and bad-row reports with their line numbers.
 * Open one with {@link ReadingSources#open}; the implementations are {@link CsvReadingSource} (a sensor column),
 * {@link WideCsvReadingSource} (one multi-channel reading of one sensor per row) and {@link AvroReadingSource}
 * (an Avro object container file). Not thread-safe.
 */
public interface ReadingSource extends Closeable {

    /** The file being read. */
    Path file();

    /** What kind of file this is, for messages, e.g. {@code wide CSV, sensor ETTh1, 7 channels}. */
    String describe();

    /** The channel names from the header, in value order; empty when the format has none (Avro). */
    List<String> channels();

    /**
     * The next row, or null after the last. A row that cannot be parsed is a {@link SourceRow.Bad} and reading
     * goes on with the next row (after a malformation that makes the rest of the file unreadable, the bad row
     * says so and this returns null next).
     *
     * @throws IOException when the file cannot be read
     */
    SourceRow next() throws IOException;

    /** Bytes of the file consumed so far (ahead of the rows returned by at most a read buffer); for progress. */
    long bytesRead();
}

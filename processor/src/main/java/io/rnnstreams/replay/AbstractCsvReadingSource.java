package io.rnnstreams.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * What both CSV layouts share: RFC 4180 parsing (commons-csv; quoted fields, CRLF or LF), exact line numbers,
 * blank lines skipped, a UTF-8 byte-order mark and surrounding spaces ignored, {@code .gz} files decompressed.
 * A subclass turns one record into a row.
 */
abstract class AbstractCsvReadingSource implements ReadingSource {
    /**
     * Lenient where leniency cannot change a number: text after a closing quote is kept, an unterminated quote
     * at the end of the file ends the field. Empty lines come through as one empty field, so that the line
     * counter stays exact, and are skipped here.
     */
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(true)
            .setTrailingData(true)
            .setLenientEof(true)
            .get();

    /** An open CSV file whose header has been read. */
    static final class CsvInput implements AutoCloseable {
        final Path file;
        final CountingInputStream counting;
        final CSVParser parser;
        final Iterator<CSVRecord> records;
        final List<String> header;
        final long headerLine;

        private CsvInput(Path file, CountingInputStream counting, CSVParser parser, Iterator<CSVRecord> records,
                         List<String> header, long headerLine) {
            this.file = file;
            this.counting = counting;
            this.parser = parser;
            this.records = records;
            this.header = header;
            this.headerLine = headerLine;
        }

        /**
         * Opens the file and reads its header: the first line that is not blank.
         *
         * @throws ReplayException (input) when the file has no header or the header cannot be parsed
         */
        static CsvInput open(Path file) throws IOException, ReplayException {
            CountingInputStream counting = new CountingInputStream(Files.newInputStream(file));
            try {
                InputStream in = new BufferedInputStream(counting, 1 << 16);
                if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
                    in = new GZIPInputStream(in, 1 << 16);
                }
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
                Iterator<CSVRecord> records = parser.iterator();
                while (true) {
                    long line = parser.getCurrentLineNumber() + 1;
                    CSVRecord r;
                    try {
                        if (!records.hasNext()) {
                            throw ReplayException.input(file + ": no header line (the file is empty)");
                        }
                        r = records.next();
                    } catch (UncheckedIOException e) {
                        if (e.getCause() instanceof CSVException) {
                            throw ReplayException.input(file + ":" + line + ": malformed CSV header: "
                                    + e.getCause().getMessage());
                        }
                        throw e.getCause();
                    }
                    if (isBlank(r)) {
                        continue;
                    }
                    List<String> header = new ArrayList<>(r.toList());
                    if (header.get(0).startsWith("\uFEFF")) {
                        header.set(0, header.get(0).substring(1).strip());
                    }
                    return new CsvInput(file, counting, parser, records, List.copyOf(header), line);
                }
            } catch (IOException | ReplayException | RuntimeException e) {
                counting.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                parser.close();
            } finally {
                counting.close();
            }
        }
    }

    private final CsvInput in;
    private boolean finished;

    AbstractCsvReadingSource(CsvInput in) {
        this.in = in;
    }

    /** The header's column names. */
    final List<String> header() {
        return in.header;
    }

    @Override
    public final Path file() {
        return in.file;
    }

    @Override
    public final SourceRow next() throws IOException {
        while (!finished) {
            long line = in.parser.getCurrentLineNumber() + 1;
            CSVRecord record;
            try {
                if (!in.records.hasNext()) {
                    finished = true;
                    return null;
                }
                record = in.records.next();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof CSVException) {
                    finished = true;
                    return new SourceRow.Bad(in.file, line, "malformed CSV (" + e.getCause().getMessage()
                            + "); the rest of the file is skipped");
                }
                throw e.getCause();
            }
            if (!isBlank(record)) {
                return parse(record, line);
            }
        }
        return null;
    }

    /**
     * Turns one non-blank record, which starts on {@code line}, into a row: checks the column count and
     * the timestamp in the first column, then hands the rest to {@link #parseRest}.
     */
    final SourceRow parse(CSVRecord record, long line) {
        if (record.size() != header().size()) {
            return bad(line, "expected " + header().size() + " columns (" + expectedColumns() + "), found "
                    + record.size());
        }
        long eventTime;
        try {
            eventTime = FieldParsers.parseTimestamp(record.get(0));
        } catch (IllegalArgumentException e) {
            return bad(line, e.getMessage());
        }
        return parseRest(record, line, eventTime);
    }

    /** What the columns should be, for the wrong-column-count message. */
    abstract String expectedColumns();

    /** The row of a record with the right column count and a valid {@code eventTime}. */
    abstract SourceRow parseRest(CSVRecord record, long line, long eventTime);

    /**
     * Parses the values of {@code record} from column index {@code first} on into channel values; returns a
     * bad row (and leaves {@code values} partly filled) when one is not a number.
     */
    final SourceRow.Bad parseValues(CSVRecord record, int first, long line, double[] values) {
        for (int i = 0; i < values.length; i++) {
            String text = record.get(first + i);
            try {
                values[i] = FieldParsers.parseValue(text);
            } catch (NumberFormatException e) {
                String what = text.isBlank() ? "empty value" : "unparsable number " + FieldParsers.quote(text.strip());
                return bad(line, what + " in column " + header().get(first + i) + " (" + (first + i + 1) + ")");
            }
        }
        return null;
    }

    final SourceRow.Bad bad(long line, String reason) {
        return new SourceRow.Bad(in.file, line, reason);
    }

    @Override
    public final long bytesRead() {
        return in.counting.count();
    }

    @Override
    public final void close() throws IOException {
        in.close();
    }

    static boolean isBlank(CSVRecord r) {
        return r.size() == 1 && r.get(0).isEmpty();
    }
}

package io.rnnstreams.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens an input file as the right {@link ReadingSource}: an Avro object container file (recognised by its
 * magic bytes {@code Obj\1}, whatever its name) or else a CSV file, whose header tells the layout: a second
 * column named {@code sensor} makes it a {@link CsvReadingSource}, anything else a {@link WideCsvReadingSource}.
 */
public final class ReadingSources {
    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};

    private ReadingSources() {
    }

    /**
     * Opens {@code file} and reads its header.
     *
     * @param forceWide read every CSV file as wide, even one whose second column is named {@code sensor}
     * @param sensorId  the sensor id of wide CSV files; null for the file name without extensions. Giving one
     *                  for a file that has its own sensor ids is an error.
     * @throws ReplayException (input) when the file is missing, empty or not in a replayable layout
     * @throws IOException     when it cannot be read
     */
    public static ReadingSource open(Path file, boolean forceWide, String sensorId) throws IOException, ReplayException {
        if (!Files.exists(file)) {
            throw ReplayException.input(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw ReplayException.input(file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw ReplayException.input(file + ": not readable");
        }
        if (isAvro(file)) {
            if (sensorId != null) {
                throw ReplayException.input(file + ": --sensor-id applies to wide CSV files only; this Avro file "
                        + "has a sensor field");
            }
            return new AvroReadingSource(file);
        }
        AbstractCsvReadingSource.CsvInput in = AbstractCsvReadingSource.CsvInput.open(file);
        try {
            if (!forceWide && CsvReadingSource.isLongLayout(in.header)) {
                if (sensorId != null) {
                    throw ReplayException.input(file + ": --sensor-id applies to wide CSV files only; this file has "
                            + "a sensor column");
                }
                return new CsvReadingSource(in);
            }
            return new WideCsvReadingSource(in, sensorId);
        } catch (ReplayException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static boolean isAvro(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(AVRO_MAGIC.length), AVRO_MAGIC);
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}

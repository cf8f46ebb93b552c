package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The generated classes decode with their own {@code getDecoder()} in a fresh JVM where neither
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} nor {@code SERIALIZABLE_CLASSES} is set and no
 * {@link SingleObjectCodec} was created: {@link TrustedClasses} is called from each class's static initialiser.
 * A fresh JVM, because Avro's trust list is global and other tests in this JVM create codecs that trust them.
 */
class GeneratedClassTrustTest {
    /** Run in the child JVM: encodes and decodes one record of each topic schema with the generated coders. */
    public static void main(String[] args) throws IOException {
        Prediction p = Samples.prediction();
        ByteBuffer bytes = Prediction.getEncoder().encode(p);
        Prediction back = Prediction.getDecoder().decode(bytes);
        SensorReading r = Samples.sensorReading();
        SensorReading rBack = SensorReading.getDecoder().decode(SensorReading.getEncoder().encode(r));
        System.out.println("prediction " + back.getForecast() + " " + back.getModelFingerprint());
        System.out.println("reading " + rBack.getValues() + " " + rBack.getTags().get("unit"));
    }

    @Test
    void predictionAndReadingDecodeWithoutTheSystemProperties() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GeneratedClassTrustTest.class.getName()));
        Path errors = Files.createTempFile("generated-class-trust", ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS"); // could carry -Dorg.apache.avro.* into the child
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        child.waitFor(60, TimeUnit.SECONDS);

        String stderr = Files.readString(errors);
        Files.delete(errors);
        assertEquals(0, child.exitValue(), output + stderr);
        assertEquals("prediction [21.625, -3.5] lstm-h32-k1=4-k2=16-seed=7:9f3a\n"
                + "reading [21.5, -0.0, 1.0E-310, 1.7976931348623157E308, -3.75] degC\n", output);
    }
}

package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** {@link StrictStringDeserializer}'s ASCII shortcut against the strict UTF-8 decoder on random keys. */
class StrictStringDeserializerTest {
    private final StrictStringDeserializer deserializer = new StrictStringDeserializer();

    @Test
    void everyKeyDecodesOrFailsAsTheStrictDecoderDecidesIt() {
        Random random = new Random(20261207L);
        String[] pieces = {"s-00042", "", "Zürich", "温度", "\uD83D\uDE00", "\u007F", "\u0000"};
        for (int i = 0; i < 20_000; i++) {
            byte[] key;
            if (random.nextBoolean()) {
                StringBuilder s = new StringBuilder();
                for (int n = random.nextInt(4); n > 0; n--) {
                    s.append(pieces[random.nextInt(pieces.length)]);
                }
                key = s.toString().getBytes(StandardCharsets.UTF_8);
            } else {
                key = new byte[random.nextInt(12)];
                random.nextBytes(key);
                if (random.nextBoolean()) {
                    for (int b = 0; b < key.length; b++) {
                        key[b] &= 0x7F; // ASCII, a stray high byte sometimes
                    }
                    if (key.length > 0 && random.nextInt(4) == 0) {
                        key[random.nextInt(key.length)] |= (byte) 0x80;
                    }
                }
            }
            assertEquals(strict(key), outcome(key), "key " + java.util.Arrays.toString(key));
        }
    }

    private Object outcome(byte[] key) {
        try {
            String s = deserializer.deserialize("t", key);
            return s + " " + s.length() + " " + s.getClass();
        } catch (SerializationException e) {
            return e.getMessage();
        }
    }

    /** What the deserializer did before its shortcut: the strict decoder for every key. */
    private static Object strict(byte[] key) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
            return s + " " + s.length() + " " + s.getClass();
        } catch (CharacterCodingException e) {
            return "key is not valid UTF-8 (" + key.length + " bytes)";
        }
    }
}

package io.rnnstreams.stream;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Key deserializer: UTF-8 that refuses malformed input instead of replacing it, so that every key that
 * passes re-encodes to exactly its original bytes and a malformed one becomes a dead letter.
 */
public final class StrictStringDeserializer implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SerializationException("key is not valid UTF-8 (" + bytes.length + " bytes)", e);
        }
    }
}

package dev.emailchannel.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.emailchannel.attachment.FileContent;
import java.io.IOException;
import java.io.InputStream;

/**
 * Writes a file as the base64 string Jackson writes for a {@code byte[]} (same alphabet, no line breaks: the same
 * bytes), streamed from the file's decoded content: neither the file nor its base64 is held in memory. The content is
 * opened anew each time the event is written (the HTTP body is written twice, to count and sign, then to send).
 */
final class FileContentSerializer extends StdSerializer<FileContent> {

    FileContentSerializer() {
        super(FileContent.class);
    }

    @Override
    public void serialize(FileContent file, JsonGenerator gen, SerializerProvider provider) throws IOException {
        try (InputStream in = file.open()) {
            gen.writeBinary(provider.getConfig().getBase64Variant(), in, Math.toIntExact(file.size()));
        }
    }
}

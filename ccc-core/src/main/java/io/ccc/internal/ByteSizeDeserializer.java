package io.ccc.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/** Reads a byte count as a number or a size string ("512m", "2g", "64k", "1.5GiB"). */
public final class ByteSizeDeserializer extends StdDeserializer<Long> {
    public ByteSizeDeserializer() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        String text = p.getValueAsString();
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            return (Long) ctx.handleWeirdStringValue(Long.class, text, e.getMessage());
        }
    }
}

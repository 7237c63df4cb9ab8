package io.ccc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.ccc.internal.Durations;
import java.io.IOException;
import java.time.Duration;

/** The one Jackson configuration for ccc's JSON: ISO times, durations as "PT30S" (reads "30s" too). */
public final class Json {
    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    /** A shared, configured mapper. Do not reconfigure it; {@link #create()} gives a private copy. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectMapper create() {
        SimpleModule durations = new SimpleModule("ccc-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new BlackbirdModule()) // generated accessors instead of reflection: JSON is on every job write
                .registerModule(durations)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CccException("JSON", "cannot write " + value.getClass().getSimpleName() + ": " + e.getMessage(), false, e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new CccException("JSON", "cannot write " + value.getClass().getSimpleName() + ": " + e.getMessage(), false, e);
        }
    }

    /** Reads {@code type}; a validation failure inside a constructor surfaces as the original {@link CccException}. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    public static CccException translate(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CccException c) {
                return c;
            }
        }
        return new CccException("INVALID_JSON", e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage(), false, e);
    }

    private static final class DurationDeserializer extends StdDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return Duration.ofMillis(Math.round(p.getDoubleValue() * 1000)); // a bare number is seconds
            }
            String text = p.getValueAsString();
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                return (Duration) ctx.handleWeirdStringValue(Duration.class, text, e.getMessage());
            }
        }
    }

}

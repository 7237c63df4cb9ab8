package io.ccc;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A job's id: a UUIDv7 string, so ids sort by creation time (lists and cursors rely on that).
 * Parsing accepts only the canonical lower-case UUID form, which keeps ids safe inside storage keys.
 */
public record JobId(String value) implements Comparable<JobId> {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static long sequence;

    @JsonCreator
    public JobId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new InvalidJobSpecException(java.util.List.of("job id must be a lower-case UUID, got: " + value));
        }
    }

    public static JobId of(String value) {
        return new JobId(value);
    }

    /** A new UUIDv7: 48 bits of epoch millis, then a 12-bit counter so ids made in one millisecond stay ordered. */
    public static JobId newId() {
        long millis;
        long seq;
        synchronized (JobId.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                sequence++;
                if (sequence > 0xFFF) { // counter spent: borrow the next millisecond
                    millis++;
                    sequence = 0;
                }
            } else {
                sequence = 0;
            }
            lastMillis = millis;
            seq = sequence;
        }
        long msb = (millis << 16) | 0x7000L | seq;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new JobId(new UUID(msb, lsb).toString());
    }

    @Override
    public int compareTo(JobId other) {
        return value.compareTo(other.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}

package io.ccc.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as ISO-8601 ("PT30S") or short forms: "500ms", "30s", "5m", "2h", "1d"; a bare number is seconds. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'");
            }
        }
        Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 30s, 5m, PT1H)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }
}

package io.ccc.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes with binary units: "512m" = 512 MiB; "k", "m", "g", "t" with optional "b"/"ib". */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

    private ByteSizes() {
    }

    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("empty size");
        }
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 512m, 2g)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
        if (bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        return Math.round(bytes);
    }
}

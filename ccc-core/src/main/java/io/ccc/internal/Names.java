package io.ccc.internal;

import java.util.ArrayList;
import java.util.List;

/** Rules for relative file names under /inputs and /outputs; names are hostile until checked. */
public final class Names {
    public static final int MAX_LENGTH = 1024;

    private Names() {
    }

    /** Collapses "a//b" and "./a" to "a/b" and "a"; the rejected forms ("..", absolute, NUL) are left for {@link #problems}. */
    public static String normalize(String name) {
        String[] parts = name.split("/", -1);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() && i == 0) {
                return name; // absolute: kept as is so validation can name it
            }
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            kept.add(part);
        }
        return String.join("/", kept);
    }

    public static List<String> problems(String at, String name) {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            problems.add(at + ": must not be empty");
            return problems;
        }
        if (name.length() > MAX_LENGTH) {
            problems.add(at + ": longer than " + MAX_LENGTH + " characters");
        }
        if (name.indexOf('\0') >= 0) {
            problems.add(at + ": contains a NUL character");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            if (name.indexOf('\0') < 0) {
                problems.add(at + ": contains a control character");
            }
        }
        if (name.startsWith("/")) {
            problems.add(at + ": must be relative, got absolute path '" + printable(name) + "'");
        }
        if (name.contains("\\")) {
            problems.add(at + ": must not contain a backslash");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                problems.add(at + ": must not contain '..', got '" + printable(name) + "'");
                break;
            }
        }
        return problems;
    }

    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}

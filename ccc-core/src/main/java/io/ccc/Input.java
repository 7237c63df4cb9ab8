package io.ccc;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import io.ccc.internal.Names;

/**
 * One input file, placed at {@code /inputs/<name>} in the container. Exactly one source: inline
 * {@code value} (encoding {@code utf8} or {@code base64}), a storage {@code key}, or an http(s) {@code url}.
 * Problems are reported by {@link JobSpec} validation, all at once, not thrown here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Input(String name, String value, String encoding, String key, String url) {
    public static final String UTF8 = "utf8";
    public static final String BASE64 = "base64";

    public Input {
        name = name == null ? null : Names.normalize(name);
        if (encoding != null) {
            encoding = encoding.toLowerCase(Locale.ROOT);
            if (encoding.equals("utf-8")) {
                encoding = UTF8;
            }
        } else if (value != null) {
            encoding = UTF8;
        }
    }

    public static Input text(String name, String text) {
        return new Input(name, text, UTF8, null, null);
    }

    public static Input bytes(String name, byte[] data) {
        return new Input(name, Base64.getEncoder().encodeToString(data), BASE64, null, null);
    }

    public static Input fromStorage(String name, String key) {
        return new Input(name, null, null, key, null);
    }

    public static Input fromUrl(String name, URI url) {
        return new Input(name, null, null, null, url.toString());
    }

    @JsonIgnore
    public boolean isInline() {
        return value != null;
    }

    /** The inline bytes. Only for a valid inline input. */
    public byte[] decodedValue() {
        if (value == null) {
            throw new IllegalStateException("input " + name + " is not inline");
        }
        return BASE64.equals(encoding) ? Base64.getMimeDecoder().decode(value) : value.getBytes(StandardCharsets.UTF_8);
    }

    /** Problems with this input's own fields; {@code at} prefixes each (e.g. "inputs[2]"). */
    List<String> problems(String at) {
        List<String> problems = new ArrayList<>();
        problems.addAll(Names.problems(at + ".name", name));
        int sources = (value != null ? 1 : 0) + (key != null ? 1 : 0) + (url != null ? 1 : 0);
        if (sources != 1) {
            problems.add(at + ": exactly one of value, key or url is required, got " + sources);
        }
        if (value != null) {
            if (!UTF8.equals(encoding) && !BASE64.equals(encoding)) {
                problems.add(at + ".encoding: unknown encoding '" + encoding + "' (utf8 or base64)");
            } else if (BASE64.equals(encoding)) {
                try {
                    Base64.getMimeDecoder().decode(value);
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".value: not valid base64");
                }
            }
        } else if (encoding != null) {
            problems.add(at + ".encoding: only inline values have an encoding");
        }
        if (key != null) {
            problems.addAll(io.ccc.spi.StorageKeys.problems(at + ".key", key));
        }
        if (url != null) {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    problems.add(at + ".url: only http and https URLs are supported, got '" + url + "'");
                } else if (uri.getHost() == null) {
                    problems.add(at + ".url: no host in '" + url + "'");
                }
            } catch (java.net.URISyntaxException e) {
                problems.add(at + ".url: not a URL: " + e.getMessage());
            }
        }
        return problems;
    }

    @Override
    public String toString() {
        String source = value != null ? "inline " + encoding + " (" + value.length() + " chars)" : key != null ? "key " + key : "url " + url;
        return "Input[" + name + ", " + source + "]";
    }
}

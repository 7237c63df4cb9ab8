package io.ccc;

import io.ccc.internal.ByteSizes;
import io.ccc.internal.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable configuration. A key such as {@code worker.slots} is looked up, in order, among values set
 * explicitly ({@link #with}), the system property {@code ccc.worker.slots}, and the environment variable
 * {@code CCC_WORKER_SLOTS} (dots and dashes become underscores). The seed's names are honoured too:
 * {@code DISABLE_WORKER}, {@code PORT}, {@code REDIS_HOST}/{@code REDIS_PORT}.
 */
public final class Config {
    private static final Map<String, String> LEGACY = Map.of(
            "http.port", "PORT",
            "redis.host", "REDIS_HOST",
            "redis.port", "REDIS_PORT");

    private final Map<String, String> explicit;
    private final Map<String, String> environment;
    private final boolean useSystemProperties;

    private Config(Map<String, String> explicit, Map<String, String> environment, boolean useSystemProperties) {
        this.explicit = Map.copyOf(explicit);
        this.environment = environment;
        this.useSystemProperties = useSystemProperties;
    }

    /** Explicit values, then system properties, then the process environment. */
    public static Config fromEnvironment() {
        return new Config(Map.of(), System.getenv(), true);
    }

    /** Only the given values: no system properties, no environment (for tests and embedding). */
    public static Config of(Map<String, String> values) {
        return new Config(values, Map.of(), false);
    }

    public Config with(String key, String value) {
        Map<String, String> copy = new HashMap<>(explicit);
        copy.put(key, value);
        return new Config(copy, environment, useSystemProperties);
    }

    public Optional<String> get(String key) {
        String v = explicit.get(key);
        if (v == null && useSystemProperties) {
            v = System.getProperty("ccc." + key);
        }
        if (v == null) {
            v = environment.get(envName(key));
        }
        if (v == null && LEGACY.containsKey(key)) {
            v = environment.get(LEGACY.get(key));
        }
        if (v == null && key.equals("worker.enabled") && environment.containsKey("DISABLE_WORKER")) {
            v = String.valueOf(!Boolean.parseBoolean(environment.get("DISABLE_WORKER").trim()));
        }
        return Optional.ofNullable(v).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public int getInt(String key, int fallback) {
        return get(key).map(v -> parse(key, v, Integer::parseInt)).orElse(fallback);
    }

    public boolean getBoolean(String key, boolean fallback) {
        return get(key).map(v -> parse(key, v, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        })).orElse(fallback);
    }

    public double getDouble(String key, double fallback) {
        return get(key).map(v -> parse(key, v, Double::parseDouble)).orElse(fallback);
    }

    public Duration getDuration(String key, Duration fallback) {
        return get(key).map(v -> parse(key, v, Durations::parse)).orElse(fallback);
    }

    public long getBytes(String key, long fallback) {
        return get(key).map(v -> parse(key, v, ByteSizes::parse)).orElse(fallback);
    }

    /** The environment variable that sets {@code key}. */
    public static String envName(String key) {
        return "CCC_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new CccException("INVALID_CONFIG", "configuration " + key + " (" + envName(key) + "): cannot use '" + value + "': "
                    + e.getMessage(), false, e);
        }
    }
}

package io.ccc.redis;

import io.ccc.Config;
import java.time.Duration;

/**
 * Settings of the Redis backends.
 *
 * @param uri            e.g. {@code redis://host:6379/0}, {@code rediss://:password@host:6380} (TLS + password)
 * @param prefix         every key starts with {@code {prefix}:}; the braces are a Cluster hash tag, so one
 *                       deployment's keys share a slot and the Lua scripts stay atomic on a cluster too
 * @param timeout        per-command timeout; a blocking poll waits at most this minus a second
 * @param retention      how long finished STANDARD jobs are kept
 * @param fastRetention  how long finished FAST jobs (with their inline results) are kept
 * @param sweepInterval  how often this process deletes jobs past their retention
 */
public record RedisConfig(String uri, String prefix, Duration timeout, Duration retention, Duration fastRetention,
                          Duration sweepInterval) {
    public RedisConfig {
        if (prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("redis.prefix must be non-empty and without braces: " + prefix);
        }
        if (timeout.toMillis() < 2000) {
            throw new IllegalArgumentException("redis.timeout must be at least 2s: " + timeout);
        }
    }

    public static RedisConfig fromConfig(Config c) {
        String uri = c.get("redis.uri").orElseGet(() -> "redis://" + c.get("redis.host", "localhost") + ":" + c.get("redis.port", "6379"));
        return new RedisConfig(uri, c.get("redis.prefix", "ccc"), c.getDuration("redis.timeout", Duration.ofSeconds(10)),
                c.getDuration("store.retention", Duration.ofDays(7)), c.getDuration("store.fast-retention", Duration.ofHours(1)),
                c.getDuration("store.sweep-interval", Duration.ofMinutes(1)));
    }

    /** Redis is used by default only when an address is configured ({@code redis.uri}, or the seed's REDIS_HOST). */
    static boolean isConfigured(Config c) {
        return c.get("redis.uri").isPresent() || c.get("redis.host").isPresent();
    }

    public static RedisConfig of(String uri, String prefix) {
        return new RedisConfig(uri, prefix, Duration.ofSeconds(10), Duration.ofDays(7), Duration.ofHours(1), Duration.ofMinutes(1));
    }

    public RedisConfig withRetention(Duration retention, Duration fastRetention) {
        return new RedisConfig(uri, prefix, timeout, retention, fastRetention, sweepInterval);
    }

    public RedisConfig withSweepInterval(Duration sweepInterval) {
        return new RedisConfig(uri, prefix, timeout, retention, fastRetention, sweepInterval);
    }

    /** "{prefix}:" — the start of every key. */
    String keyPrefix() {
        return "{" + prefix + "}:";
    }
}

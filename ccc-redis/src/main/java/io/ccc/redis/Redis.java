package io.ccc.redis;

import io.ccc.CccException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One Redis client with a shared connection for ordinary commands, a small pool of connections for blocking
 * ones, and Lua scripts run by SHA with a fallback to EVAL (a restarted Redis has forgotten them). Lettuce
 * reconnects on its own; commands issued meanwhile wait for the reconnect up to the timeout. Errors become
 * {@link CccException}s: connection trouble is retryable, a data error (WRONGTYPE, script error) is not.
 */
final class Redis implements AutoCloseable {
    private final RedisConfig config;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;
    private final LinkedBlockingDeque<StatefulRedisConnection<String, String>> blockingPool = new LinkedBlockingDeque<>();
    private volatile StatefulRedisConnection<byte[], byte[]> binary;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();

    record Script(String name, String source, String sha) {
    }

    Redis(RedisConfig config) {
        this.config = config;
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.timeout());
        // reconnect quickly after a Redis restart: back-off from 100 ms, never more than 2 s apart
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).keepAlive(true).build())
                .build());
        try {
            this.shared = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw new CccException("REDIS_UNAVAILABLE", "cannot connect to Redis at " + redacted(config.uri()) + ": " + e.getMessage(), true, e);
        }
    }

    RedisConfig config() {
        return config;
    }

    String key(String suffix) {
        return config.keyPrefix() + suffix;
    }

    RedisClient client() {
        return client;
    }

    /** Runs {@code action} on the shared connection, translating failures. */
    <T> T call(String what, Function<RedisCommands<String, String>, T> action) {
        try {
            return action.apply(shared.sync());
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    /** Runs {@code action} on a connection whose values are raw bytes (live logs). */
    <T> T binary(String what, Function<RedisCommands<byte[], byte[]>, T> action) {
        try {
            StatefulRedisConnection<byte[], byte[]> conn = binary;
            if (conn == null) {
                synchronized (this) {
                    if (binary == null) {
                        binary = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
                    }
                    conn = binary;
                }
            }
            return action.apply(conn.sync());
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    /** Runs a blocking command on a connection of its own, so it never holds up the shared one. */
    <T> T blocking(String what, Function<RedisCommands<String, String>, T> action) {
        StatefulRedisConnection<String, String> conn = blockingPool.pollFirst();
        try {
            if (conn == null) {
                conn = client.connect();
            }
            T result = action.apply(conn.sync());
            blockingPool.offerFirst(conn);
            conn = null;
            return result;
        } catch (RuntimeException e) {
            throw translate(what, e);
        } finally {
            if (conn != null) {
                conn.closeAsync(); // a failed or interrupted blocking call leaves the connection in doubt
            }
        }
    }

    Script script(String name) {
        return scripts.computeIfAbsent(name, n -> {
            String common = switch (n) {
                case "store-delete", "store-sweep" -> resource("store-common") + "\n";
                case "store-update" -> resource("store-update-common") + "\n";
                case "store-create" -> resource("store-create-common") + "\n";
                case "queue-enqueue" -> resource("queue-common") + "\n" + resource("store-create-common") + "\n";
                case "queue-complete" -> resource("queue-common") + "\n" + resource("store-update-common") + "\n";
                default -> n.startsWith("queue-") ? resource("queue-common") + "\n" : "";
            };
            String source = common + resource(n);
            return new Script(n, source, sha1(source));
        });
    }

    /**
     * Runs a script by SHA (its source after a restart made Redis forget it). Through the async API and a
     * wait, not the sync proxy: scripts are the hot path, and the proxy costs a reflective call each.
     */
    <T> T eval(String name, ScriptOutputType type, String[] keys, String... args) {
        Script s = script(name);
        RedisAsyncCommands<String, String> c = shared.async();
        try {
            try {
                return LettuceFutures.awaitOrCancel(c.<T>evalsha(s.sha(), type, keys, args), config.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RedisNoScriptException e) {
                return LettuceFutures.awaitOrCancel(c.<T>eval(s.source(), type, keys, args), config.timeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException e) {
            throw translate(name, e);
        }
    }

    static CccException translate(String what, RuntimeException e) {
        if (e instanceof CccException c) {
            return c;
        }
        if (e instanceof RedisCommandInterruptedException) {
            Thread.currentThread().interrupt();
            return new CccException("INTERRUPTED", what + ": interrupted", true, e);
        }
        if (e instanceof RedisCommandExecutionException) {
            // WRONGTYPE, a script error on foreign data, OOM...: the same call would fail the same way
            return new CccException("REDIS_DATA_ERROR", what + ": " + e.getMessage(), false, e);
        }
        return new CccException("REDIS_UNAVAILABLE", what + ": " + e.getMessage(), true, e);
    }

    private static String resource(String name) {
        try (InputStream in = Redis.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String redacted(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void close() {
        blockingPool.forEach(StatefulRedisConnection::close);
        if (binary != null) {
            binary.close();
        }
        shared.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}

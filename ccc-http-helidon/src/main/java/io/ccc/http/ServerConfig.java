package io.ccc.http;

import io.ccc.Config;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the HTTP server.
 *
 * @param mode          ALL: API and a worker; API: the API only, never touching the engine
 *                      ({@code DISABLE_WORKER=true}); WORKER: a worker with health and metrics, no API
 * @param maxJsonBytes  largest JSON request body (a job spec with inline inputs)
 * @param maxUploadBytes largest multipart request body (input files streamed to storage)
 * @param fastTimeout   how long {@code POST /jobs:run} waits for a FAST job before cancelling it (504)
 * @param maxWait       the longest {@code ?wait=} a client may ask for
 */
public record ServerConfig(String host, int port, Mode mode, long maxJsonBytes, long maxUploadBytes, Duration fastTimeout,
                           Duration maxWait) {
    public enum Mode { ALL, API, WORKER }

    public static ServerConfig fromConfig(Config c) {
        Mode mode = c.get("server.mode").map(m -> Mode.valueOf(m.toUpperCase(Locale.ROOT)))
                .orElse(c.getBoolean("worker.enabled", true) ? Mode.ALL : Mode.API);
        return new ServerConfig(c.get("http.host", "0.0.0.0"), c.getInt("http.port", 9000), mode,
                c.getBytes("http.max-json", 96L << 20), c.getBytes("http.max-upload", 10L << 30),
                c.getDuration("http.fast-timeout", Duration.ofSeconds(60)), c.getDuration("http.max-wait", Duration.ofMinutes(10)));
    }

    public static ServerConfig defaults() {
        return fromConfig(Config.of(java.util.Map.of()));
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, mode, maxJsonBytes, maxUploadBytes, fastTimeout, maxWait);
    }

    public ServerConfig withMode(Mode mode) {
        return new ServerConfig(host, port, mode, maxJsonBytes, maxUploadBytes, fastTimeout, maxWait);
    }

    public ServerConfig withLimits(long maxJsonBytes, long maxUploadBytes) {
        return new ServerConfig(host, port, mode, maxJsonBytes, maxUploadBytes, fastTimeout, maxWait);
    }

}

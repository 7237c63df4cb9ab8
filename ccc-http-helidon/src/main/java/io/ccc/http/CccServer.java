package io.ccc.http;

import io.ccc.Ccc;
import io.ccc.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: a {@link Ccc} assembled from configuration and the HTTP API in front of it. In
 * {@link ServerConfig.Mode#API} mode it runs no worker and never opens the engine; in
 * {@link ServerConfig.Mode#WORKER} mode it runs a worker with only health and metrics.
 */
public final class CccServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CccServer.class);

    private final Ccc ccc;
    private final boolean ownsCcc;
    private final AutoCloseable scaling;
    private final Metrics metrics;
    private final WebServer server;

    private CccServer(Ccc ccc, boolean ownsCcc, ServerConfig config, AutoCloseable scaling) {
        this.ccc = ccc;
        this.ownsCcc = ownsCcc;
        this.scaling = scaling;
        this.metrics = new Metrics(ccc);
        EventStreams events = new EventStreams(ccc);
        var builder = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false) // our own hook drains the worker first
                // a backstop only: bodies are limited while streaming, with a JSON 413
                .maxPayloadSize(Math.max(config.maxJsonBytes(), config.maxUploadBytes()) + (1 << 20))
                .routing(r -> routing(r, ccc, config, events, metrics));
        if (config.mode() != ServerConfig.Mode.WORKER) {
            builder.addRouting(WsRouting.builder().endpoint("/api/v1/ws", events::webSocket));
        }
        this.server = builder.build().start();
        LOG.info("ccc server listening on {}:{} ({} mode)", config.host(), server.port(), config.mode());
    }

    /** Assembles backends from {@code config} and starts. */
    public static CccServer start(Config config) {
        ServerConfig server = ServerConfig.fromConfig(config);
        Ccc ccc = Ccc.builder().config(config).worker(server.mode() != ServerConfig.Mode.API).build();
        AutoCloseable scaling = () -> { };
        try {
            if (server.mode() != ServerConfig.Mode.WORKER) {
                scaling = startScaling(ccc, config);
            }
            return new CccServer(ccc, true, server, scaling);
        } catch (RuntimeException e) {
            closeQuietly(scaling);
            ccc.close();
            throw e;
        }
    }

    /** Serves a given {@link Ccc} (not closed by {@link #close()}). */
    public static CccServer start(Ccc ccc, ServerConfig config) {
        return new CccServer(ccc, false, config, () -> { });
    }

    /**
     * The scaling loop, when a scaler is configured ({@code scaler=aws|local}, or an ASG name): it runs in every
     * API server and acts only in the one holding the "scaler" lead in the job store.
     */
    private static AutoCloseable startScaling(Ccc ccc, Config config) {
        var provider = io.ccc.spi.Backends.select(io.ccc.spi.ScalerProvider.class, "scaler", config)
                .filter(p -> config.get("scaler").isPresent() || p.configured(config));
        if (provider.isEmpty()) {
            return () -> { };
        }
        io.ccc.spi.Scaler scaler = provider.get().create(config);
        io.ccc.scaling.ScalingLoop loop = new io.ccc.scaling.ScalingLoop(ccc.queue(), ccc.jobStore(), scaler,
                io.ccc.scaling.ScalingRules.fromConfig(config), "server-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID());
        loop.start(config.getDuration("scaler.period", java.time.Duration.ofSeconds(30)));
        LOG.info("scaling loop on with the {} scaler", provider.get().name());
        return () -> {
            loop.close();
            scaler.close();
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    /** The routes; a seam for tests that want routing without a socket. */
    static void routing(HttpRouting.Builder routing, Ccc ccc, ServerConfig config, EventStreams events, Metrics metrics) {
        routing.addFilter(metrics);
        Errors.register(routing);
        routing.register("/health", new Health(ccc));
        routing.get("/metrics", metrics::handle);
        if (config.mode() != ServerConfig.Mode.WORKER) {
            routing.register("/api/v1", new JobsApi(ccc, config, events));
        }
        routing.any((req, res) -> {
            throw new ApiException(404, "NOT_FOUND", "no route " + req.prologue().method().text() + " " + req.path().path());
        });
    }

    public int port() {
        return server.port();
    }

    public Ccc ccc() {
        return ccc;
    }

    /** Stops taking jobs, lets running ones finish within the worker's grace, then stops serving. */
    @Override
    public void close() {
        closeQuietly(scaling);
        if (ownsCcc) {
            ccc.close();
        }
        metrics.close();
        server.stop();
    }
}

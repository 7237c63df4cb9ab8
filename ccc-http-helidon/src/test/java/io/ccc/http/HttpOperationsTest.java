package io.ccc.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.Config;
import io.ccc.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Operations: a backend going down answers 503 (and health says so); shutdown lets running jobs finish. */
@Timeout(180)
class HttpOperationsTest {
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRedisThatGoesDownIs503AndTheServerRecovers() throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("ccc-down");
        Process redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "",
                "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            Thread.sleep(300);
            Config config = Config.of(Map.of("redis.uri", "redis://127.0.0.1:" + port, "redis.timeout", "2s", "storage.dir", dir.resolve("s").toString(),
                    "http.port", "0", "worker.enabled", "false"));
            try (CccServer server = CccServer.start(config)) {
                assertThat(server.ccc().queue().getClass().getSimpleName()).isEqualTo("RedisQueue");
                Client client = new Client(server.port());
                assertThat(client.get("/health/ready").status()).isEqualTo(200);
                redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                Client.Response ready = client.get("/health/ready");
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.json().get("checks").get("store").asText()).startsWith("DOWN");
                Client.Response submit = client.postJson("/api/v1/jobs", Json.write(Map.of("image", "local/busybox:1", "command", List.of("true"))));
                assertThat(submit.status()).as(submit.text()).isEqualTo(503);
                assertThat(submit.json().get("code").asText()).isEqualTo("REDIS_UNAVAILABLE");
                assertThat(client.get("/health/live").status()).isEqualTo(200);

                redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "",
                        "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("redis2.log").toFile()).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (client.get("/health/ready").status() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(client.get("/health/ready").status()).as("ready again after Redis is back").isEqualTo(200);
            }
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shutdownLetsTheRunningJobFinish() throws Exception {
        Path dir = Files.createTempDirectory("ccc-shutdown");
        Config config = Config.of(Map.of("storage.dir", dir.toString(), "http.port", "0", "worker.shutdown-grace", "60s",
                "worker.poll-wait", "1s"));
        CccServer server = CccServer.start(config);
        Client client = new Client(server.port());
        String id = client.postJson("/api/v1/jobs", Json.write(Map.of("image", "local/busybox:1",
                "command", List.of("sh", "-c", "sleep 3; echo finished > /outputs/done.txt")))).json().get("id").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"RUNNING".equals(client.get("/api/v1/jobs/" + id).json().path("phase").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        var ccc = server.ccc();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        Thread.sleep(500);
        // while draining, the API still answers
        assertThat(client.get("/api/v1/jobs/" + id).json().get("state").asText()).isEqualTo("RUNNING");
        closing.get(90, TimeUnit.SECONDS);
        assertThat(ccc.require(io.ccc.JobId.of(id)).state()).isEqualTo(io.ccc.JobState.SUCCEEDED);
    }
}

package io.ccc.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ccc.Json;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deployment the seed describes: one API process with DISABLE_WORKER=true and two worker processes, sharing
 * a real Redis and a real S3 server (s3proxy), each a separate JVM configured only by its environment. The API
 * process gets a DOCKER_HOST that points at a tripwire socket: any connection to "the engine" would be counted.
 */
@Timeout(600)
class SplitModeTest {
    private static final Logger LOG = LoggerFactory.getLogger(SplitModeTest.class);
    private final List<Process> processes = new ArrayList<>();
    private final String prefix = "split-" + UUID.randomUUID().toString().substring(0, 8);
    private ServerSocketChannel tripwire;
    private Path tripwirePath;

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (tripwire != null) {
            tripwire.close();
            Files.deleteIfExists(tripwirePath);
        }
        RedisClient client = RedisClient.create(redisUri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches("{" + prefix + "}:*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    c.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    private static String redisUri() {
        String uri = System.getenv("CCC_TEST_REDIS_URI");
        return uri != null && !uri.isBlank() ? uri : "redis://127.0.0.1:16379";
    }

    private static String s3Endpoint() {
        String e = System.getenv("CCC_TEST_S3_ENDPOINT");
        return e != null && !e.isBlank() ? e : "http://127.0.0.1:18090";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(String name, Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true).redirectOutput(Path.of("target", prefix + "-" + name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CCC_") || k.equals("DOCKER_HOST") || k.equals("DISABLE_WORKER"));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void waitReady(Client client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (client.get("/health/ready").status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready: " + client.base);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void anApiProcessAndTwoWorkerProcessesRunAHundredJobsWithoutTheApiTouchingTheEngine() throws Exception {
        String bucket = "ccc-split-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(s3Endpoint())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ccc-test", "ccc-test-secret"))).build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        // the tripwire: a unix socket standing where the API process would look for the engine
        tripwirePath = Path.of("/tmp", "ccc-tripwire-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        tripwire = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(tripwirePath));
        AtomicInteger engineConnections = new AtomicInteger();
        Thread.ofPlatform().daemon().start(() -> {
            while (tripwire.isOpen()) {
                try (SocketChannel ignored = tripwire.accept()) {
                    engineConnections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });

        Map<String, String> shared = new HashMap<>(Map.of(
                "CCC_REDIS_URI", redisUri(),
                "CCC_REDIS_PREFIX", prefix,
                "CCC_S3_BUCKET", bucket,
                "CCC_S3_ENDPOINT", s3Endpoint(),
                "CCC_S3_ACCESS_KEY_ID", "ccc-test",
                "CCC_S3_SECRET_ACCESS_KEY", "ccc-test-secret"));
        int apiPort = freePort();
        Map<String, String> apiEnv = new HashMap<>(shared);
        apiEnv.putAll(Map.of("PORT", String.valueOf(apiPort), "DISABLE_WORKER", "true", "DOCKER_HOST", "unix://" + tripwirePath,
                "CCC_DOCKER_HOST", "unix://" + tripwirePath));
        start("api", apiEnv);
        List<Client> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            Map<String, String> workerEnv = new HashMap<>(shared);
            workerEnv.putAll(Map.of("PORT", String.valueOf(port), "CCC_SERVER_MODE", "worker", "CCC_WORKER_SLOTS", "2",
                    "CCC_WORKER_POLL_WAIT", "2s"));
            start("worker-" + i, workerEnv);
            workers.add(new Client(port));
        }
        Client api = new Client(apiPort);
        waitReady(api);
        for (Client w : workers) {
            waitReady(w);
            assertThat(w.get("/api/v1/jobs").status()).as("a worker serves no API").isEqualTo(404);
        }

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Client.Response r = api.postJson("/api/v1/jobs", Json.write(Map.of("image", "local/busybox:1",
                    "command", List.of("sh", "-c", "echo " + i + " > /outputs/n.txt"), "labels", Map.of("run", prefix))));
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            ids.add(r.json().get("id").asText());
        }
        Map<String, Integer> perWorker = new HashMap<>();
        for (String id : ids) {
            JsonNode job = waitFor(api, id);
            assertThat(job.get("state").asText()).as("job %s", job).isEqualTo("SUCCEEDED");
            perWorker.merge(job.get("workerId").asText(), 1, Integer::sum);
        }
        LOG.info("100 jobs through the split deployment; per worker: {}", perWorker);
        assertThat(perWorker).hasSize(2);

        // outputs come back through the API as a redirect to a presigned S3 URL
        String id = ids.get(42);
        HttpResponse<String> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base + "/api/v1/jobs/" + id
                + "/outputs/n.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(307);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(s3Endpoint()).contains("X-Amz-Signature");
        HttpResponse<String> object = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(object.body()).isEqualTo("42\n");

        assertThat(api.get("/api/v1/workers").json().get("workers")).hasSize(2);
        assertThat(engineConnections.get()).as("connections from the API process to the engine").isZero();

        // control: the same process with its worker on does reach for the engine, so the tripwire does catch it
        Map<String, String> withWorker = new HashMap<>(apiEnv);
        withWorker.remove("DISABLE_WORKER");
        withWorker.put("PORT", String.valueOf(freePort()));
        start("control", withWorker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (engineConnections.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(engineConnections.get()).as("the control process's connections to the tripwire").isPositive();
    }

    private static JsonNode waitFor(Client api, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            JsonNode job = api.get("/api/v1/jobs/" + id).json();
            String state = job.get("state").asText();
            if ((!state.equals("QUEUED") && !state.equals("RUNNING")) || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(200);
        }
    }
}

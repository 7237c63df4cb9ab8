package io.ccc.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ccc.Ccc;
import io.ccc.Json;
import io.ccc.embedded.InMemoryJobStore;
import io.ccc.embedded.InMemoryQueue;
import io.ccc.embedded.LocalStorage;
import io.ccc.engine.WorkerConfig;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.ContainerRunnerProvider;
import io.ccc.spi.Backends;
import io.ccc.Config;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The API over a real socket, in front of embedded backends and the real Docker engine. */
@Timeout(180)
class HttpApiTest {
    private InMemoryQueue queue;
    private InMemoryJobStore store;
    private LocalStorage storage;
    private ContainerRunner runner;
    private Ccc api;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private CccServer server;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        queue = new InMemoryQueue();
        store = new InMemoryJobStore();
        storage = new LocalStorage(Files.createTempDirectory("ccc-http"));
        // the docker runner is found the way the server finds it: by ServiceLoader
        runner = Backends.select(ContainerRunnerProvider.class, "runner", Config.of(Map.of())).orElseThrow().create(Config.of(Map.of()));
        api = Ccc.builder().queue(queue).jobStore(store).storage(storage).worker(false).build();
        server = CccServer.start(api, ServerConfig.defaults().withPort(0).withMode(ServerConfig.Mode.API));
        client = new Client(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        api.close();
        runner.close();
    }

    /** A worker on the same backends, started when a test wants jobs to run. */
    private Ccc startWorker() {
        Ccc worker = Ccc.builder().queue(queue).jobStore(store).storage(storage).containerRunner(runner)
                .workerConfig(WorkerConfig.defaults().withSlots(2).withPollWait(Duration.ofSeconds(1))).build();
        closeables.add(0, worker);
        return worker;
    }

    private static String spec(String script) {
        return Json.write(Map.of("image", "local/busybox:1", "command", List.of("sh", "-c", script)));
    }

    private JsonNode awaitJob(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            JsonNode job = client.get("/api/v1/jobs/" + id).json();
            String state = job.get("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING") || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(100);
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void standardJobWithMultipartInputsAndOutputsOverHttp() throws Exception {
        startWorker();
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Client.Response created = client.postMultipart("/api/v1/jobs",
                spec("mkdir -p /outputs/out; cp /inputs/data.bin /outputs/out/copy.bin; cat /inputs/notes.txt; wc -c < /inputs/data.bin"),
                Map.of("data.bin", data, "notes.txt", "some notes\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/jobs/" + id);
        JsonNode job = awaitJob(id);
        assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");

        JsonNode outputs = client.get("/api/v1/jobs/" + id + "/outputs").json();
        assertThat(outputs.get("outputs").get(0).get("path").asText()).isEqualTo("out/copy.bin");
        Client.Response file = client.get("/api/v1/jobs/" + id + "/outputs/out/copy.bin");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(data);
        assertThat(client.get("/api/v1/jobs/" + id + "/stdout").text()).isEqualTo("some notes\n300000\n");
        assertThat(client.get("/api/v1/jobs/" + id + "/stderr").text()).isEmpty();
        assertThat(client.get("/api/v1/jobs/" + id + "/outputs/nope.txt").status()).isEqualTo(404);
    }

    @Test
    void fastJobRoundTrip() {
        startWorker();
        Client.Response r = client.postJson("/api/v1/jobs:run", Json.write(Map.of("image", "local/busybox:1",
                "command", List.of("sh", "-c", "rev < /inputs/in.txt > /outputs/out.txt; echo done"),
                "inputs", List.of(Map.of("name", "in.txt", "value", "abc")))));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode job = r.json();
        assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("spec").get("kind").asText()).isEqualTo("FAST");
        assertThat(Base64.getDecoder().decode(job.get("outputs").get(0).get("data").asText())).isEqualTo("cba".getBytes());
        assertThat(Base64.getDecoder().decode(job.get("stdout").get("data").asText())).isEqualTo("done\n".getBytes());
        assertThat(job.get("phases").has("RUNNING")).isTrue();
    }

    @Test
    void aFastJobOverItsTimeLimitIsCancelledWith504() throws Exception {
        startWorker();
        Client.Response r = client.postJson("/api/v1/jobs:run?timeout=1s", spec("sleep 30"));
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.json().get("code").asText()).isEqualTo("FAST_JOB_TIMEOUT");
    }

    @Test
    void waitReturnsTheFinishedJob() {
        startWorker();
        Client.Response r = client.postJson("/api/v1/jobs?wait=60s", spec("echo waited"));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("state").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void cancelIsIdempotentBothWays() throws Exception {
        String id = client.postJson("/api/v1/jobs", spec("sleep 30")).json().get("id").asText();
        Client.Response first = client.send(client.request("/api/v1/jobs/" + id + ":cancel").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("state").asText()).isEqualTo("CANCELLED");
        Client.Response again = client.delete("/api/v1/jobs/" + id);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("state").asText()).isEqualTo("CANCELLED");
        assertThat(again.json().get("version").asLong()).isEqualTo(first.json().get("version").asLong());
    }

    @Test
    void cancelWhileRunningOverHttp() throws Exception {
        startWorker();
        String id = client.postJson("/api/v1/jobs", spec("sleep 60")).json().get("id").asText();
        eventually("running", () -> "RUNNING".equals(client.get("/api/v1/jobs/" + id).json().path("phase").asText()));
        assertThat(client.delete("/api/v1/jobs/" + id).json().get("state").asText()).isEqualTo("CANCELLED");
        eventually("the container to go", () -> runner.containers(Map.of("io.ccc.job", id)).isEmpty());
    }

    @Test
    void stdoutFollowSeesLinesBeforeTheJobEnds() throws Exception {
        startWorker();
        String id = client.postJson("/api/v1/jobs", spec("echo first; sleep 3; echo second")).json().get("id").asText();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(client.stream("/api/v1/jobs/" + id + "/stdout?follow=true"),
                StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("first");
            // the job is still going when the first line arrives
            assertThat(client.get("/api/v1/jobs/" + id).json().get("state").asText()).isEqualTo("RUNNING");
            assertThat(lines.readLine()).isEqualTo("second");
            assertThat(lines.readLine()).isNull(); // the stream ends with the job
        }
        assertThat(awaitJob(id).get("state").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void sseAndWebSocketSeeEveryStateChangeInOrder() throws Exception {
        String id = client.postJson("/api/v1/jobs", spec("echo hi")).json().get("id").asText(); // queued: no worker yet

        List<JsonNode> sse = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> sseDone = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(client.stream("/api/v1/jobs/" + id + "/events"), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("data:")) {
                        sse.add(Json.mapper().readTree(line.substring(5).trim()));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        List<JsonNode> ws = new CopyOnWriteArrayList<>();
        WebSocket socket = client.http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/ws"),
                new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                JsonNode msg = Json.mapper().readTree(text.toString());
                                if (msg.has("event")) {
                                    ws.add(msg.get("event"));
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"subscribe\":\"" + id + "\"}", true).get(5, TimeUnit.SECONDS);
        eventually("the snapshots", () -> !sse.isEmpty() && !ws.isEmpty());

        startWorker();
        sseDone.get(90, TimeUnit.SECONDS);
        eventually("the websocket's last event", () -> ws.stream().anyMatch(e -> e.get("state").asText().equals("SUCCEEDED")));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");

        for (List<JsonNode> events : List.of(sse, ws)) {
            List<Long> versions = events.stream().map(e -> e.get("version").asLong()).toList();
            List<String> states = events.stream().map(e -> e.get("state").asText() + (e.has("phase") ? "/" + e.get("phase").asText() : "")).toList();
            assertThat(versions).as("every version, once, in order: %s", states).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(states).containsExactly("QUEUED", "RUNNING/PULLING_IMAGE", "RUNNING/COPYING_INPUTS", "RUNNING/RUNNING",
                    "RUNNING/COPYING_OUTPUTS", "SUCCEEDED/COPYING_OUTPUTS");
        }
    }

    @Test
    void listsFiltersAndPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.postJson("/api/v1/jobs", Json.write(Map.of("image", "local/busybox:1", "command", List.of("true"),
                    "labels", Map.of("batch", "b1", "n", String.valueOf(i))))).json().get("id").asText());
        }
        JsonNode page = client.get("/api/v1/jobs?label=batch=b1&state=QUEUED&limit=2").json();
        assertThat(page.get("items")).hasSize(2);
        List<String> seen = new ArrayList<>();
        page.get("items").forEach(j -> seen.add(j.get("id").asText()));
        while (page.hasNonNull("nextPageToken")) {
            page = client.get("/api/v1/jobs?label=batch=b1&limit=2&pageToken=" + page.get("nextPageToken").asText()).json();
            page.get("items").forEach(j -> seen.add(j.get("id").asText()));
        }
        assertThat(seen).containsExactlyElementsOf(ids.reversed());
        assertThat(client.get("/api/v1/jobs?label=n=3").json().get("items")).hasSize(1);
        assertThat(client.get("/api/v1/jobs?kind=FAST&label=batch=b1").json().get("items")).isEmpty();
    }

    @Test
    void systemEndpoints() {
        startWorker();
        assertThat(client.get("/health/live").status()).isEqualTo(200);
        assertThat(client.get("/health/ready").json().get("status").asText()).isEqualTo("UP");
        client.postJson("/api/v1/jobs?wait=60s", spec("true"));
        assertThat(client.get("/api/v1/workers").json().get("workers")).isNotEmpty();
        assertThat(client.get("/api/v1/queue").json().get("lanes").has("FAST")).isTrue();
        assertThat(client.get("/api/v1/stats").json().get("submitted").asLong()).isGreaterThanOrEqualTo(1);
        Client.Response openapi = client.get("/api/v1/openapi.yaml");
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.text()).startsWith("openapi: 3").contains("/jobs:run");
        String metrics = client.get("/metrics").text();
        assertThat(metrics).contains("ccc_jobs_finished_total{state=\"SUCCEEDED\"} 1", "ccc_queue_jobs{lane=\"standard\",status=\"ready\"}",
                "ccc_job_phase_seconds_count{phase=\"running\"}", "ccc_http_request_seconds_bucket{method=\"POST\",status=\"201\"");
    }
}

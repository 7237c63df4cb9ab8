package io.ccc.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ccc.Ccc;
import io.ccc.embedded.InMemoryJobStore;
import io.ccc.embedded.InMemoryQueue;
import io.ccc.embedded.LocalStorage;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken requests: each gets the right 4xx with a JSON body naming the problem, nothing is stored
 * or queued, and the server stays healthy. Small limits (1 MiB JSON, 2 MiB uploads) keep the big-body cases quick.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBadInputTest {
    private static final long JSON_LIMIT = 1 << 20;
    private static final long UPLOAD_LIMIT = 2 << 20;
    private Ccc ccc;
    private CccServer server;
    private Client client;
    private Path storageDir;

    @BeforeAll
    void start() throws Exception {
        storageDir = Files.createTempDirectory("ccc-bad-input");
        ccc = Ccc.builder().queue(new InMemoryQueue()).jobStore(new InMemoryJobStore()).storage(new LocalStorage(storageDir)).worker(false).build();
        server = CccServer.start(ccc, ServerConfig.defaults().withPort(0).withMode(ServerConfig.Mode.API).withLimits(JSON_LIMIT, UPLOAD_LIMIT));
        client = new Client(server.port());
    }

    @AfterAll
    void stop() {
        server.close();
        ccc.close();
    }

    private static String big(int bytes) {
        return "{\"image\":\"local/busybox:1\",\"command\":[\"true\"],\"inputs\":[{\"name\":\"a\",\"value\":\"" + "x".repeat(bytes) + "\"}]}";
    }

    Stream<Arguments> badJson() {
        return Stream.of(
                Arguments.of("malformed", "{\"image\": ", 400, "INVALID_JSON"),
                Arguments.of("not an object", "[1,2]", 400, "INVALID_JSON"),
                Arguments.of("empty", "", 400, null),
                Arguments.of("wrong type", "{\"image\":\"busybox\",\"command\":\"true\"}", 400, null),
                Arguments.of("wrong nested type", "{\"image\":\"busybox\",\"command\":[\"true\"],\"resources\":{\"cpus\":\"lots\"}}", 400, null),
                Arguments.of("missing fields", "{}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("unknown field", "{\"image\":\"busybox\",\"command\":[\"true\"],\"cmd\":[\"x\"]}", 400, "INVALID_JSON"),
                Arguments.of("traversal name", "{\"image\":\"busybox\",\"command\":[\"true\"],\"inputs\":[{\"name\":\"../../etc/passwd\",\"value\":\"x\"}]}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("absolute name", "{\"image\":\"busybox\",\"command\":[\"true\"],\"inputs\":[{\"name\":\"/etc/passwd\",\"value\":\"x\"}]}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("NUL in name", "{\"image\":\"busybox\",\"command\":[\"true\"],\"inputs\":[{\"name\":\"a\\u0000b\",\"value\":\"x\"}]}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("bad encoding", "{\"image\":\"busybox\",\"command\":[\"true\"],\"inputs\":[{\"name\":\"a\",\"value\":\"x\",\"encoding\":\"hex\"}]}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("negative limits", "{\"image\":\"busybox\",\"command\":[\"true\"],\"resources\":{\"cpus\":-1,\"memory\":0}}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("bad duration", "{\"image\":\"busybox\",\"command\":[\"true\"],\"limits\":{\"maxDuration\":\"forever\"}}", 400, null),
                Arguments.of("storage key traversal", "{\"image\":\"busybox\",\"command\":[\"true\"],\"inputs\":[{\"name\":\"a\",\"key\":\"../other/secret\"}]}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("file url", "{\"image\":\"busybox\",\"command\":[\"true\"],\"inputs\":[{\"name\":\"a\",\"url\":\"file:///etc/passwd\"}]}", 400, "INVALID_JOB_SPEC"),
                Arguments.of("body over the limit", big((int) JSON_LIMIT + 10), 413, "PAYLOAD_TOO_LARGE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJson")
    void badJobSpecs(String name, String body, int status, String code) {
        for (String path : List.of("/api/v1/jobs", "/api/v1/jobs:run")) {
            Client.Response r = client.postJson(path, body);
            assertError(r, status, code);
        }
    }

    @Test
    void everyProblemIsListed() {
        Client.Response r = client.postJson("/api/v1/jobs", "{\"image\":\"\",\"command\":[],\"inputs\":[{\"name\":\"../x\",\"value\":\"v\"},"
                + "{\"name\":\"/abs\",\"value\":\"v\"}],\"resources\":{\"cpus\":0}}");
        assertError(r, 400, "INVALID_JOB_SPEC");
        assertThat(r.json().get("details")).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutWhileStreaming() {
        byte[] chunk = big((int) JSON_LIMIT * 3).getBytes(StandardCharsets.UTF_8);
        // no Content-Length: the limit must hold while reading
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunk));
        Client.Response r = client.send(client.request("/api/v1/jobs").header("Content-Type", "application/json").POST(publisher));
        assertError(r, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void wrongMediaType() {
        assertError(client.send(client.request("/api/v1/jobs").header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}"))),
                415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(client.send(client.request("/api/v1/jobs:run").POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void unknownRoutesMethodsAndJobs() {
        assertError(client.get("/nothing/here"), 404, "NOT_FOUND");
        assertError(client.get("/api/v1/jobz"), 404, "NOT_FOUND");
        assertError(client.send(client.request("/api/v1/jobs").PUT(HttpRequest.BodyPublishers.ofString("{}"))), 405, "METHOD_NOT_ALLOWED");
        assertError(client.send(client.request("/api/v1/queue").POST(HttpRequest.BodyPublishers.noBody())), 405, "METHOD_NOT_ALLOWED");
        assertError(client.get("/api/v1/jobs/01a21e62-efba-7000-b4a5-548c7817957e"), 404, "JOB_NOT_FOUND");
        assertError(client.get("/api/v1/jobs/not-an-id"), 404, "JOB_NOT_FOUND");
        assertError(client.get("/api/v1/jobs/..%2F..%2Fetc/outputs"), 404, null);
        assertError(client.delete("/api/v1/jobs/01a21e62-efba-7000-b4a5-548c7817957e"), 404, "JOB_NOT_FOUND");
    }

    @Test
    void badQueries() {
        Client.Response r = client.get("/api/v1/jobs?state=DONE&kind=SLOW&limit=0&since=yesterday&label=novalue&pageToken=zzz");
        assertError(r, 400, "BAD_REQUEST");
        assertThat(r.json().get("details")).hasSize(6);
        assertError(client.postJson("/api/v1/jobs?wait=soon", "{\"image\":\"busybox\",\"command\":[\"true\"]}"), 400, "BAD_REQUEST");
    }

    @Test
    void badMultipartLeavesNothingBehind() throws Exception {
        String spec = "{\"image\":\"local/busybox:1\",\"command\":[\"true\"]}";
        // a hostile part name
        assertError(client.postMultipart("/api/v1/jobs", spec, Map.of("../../etc/passwd", new byte[] {1})), 400, "INVALID_JOB_SPEC");
        // files over the upload limit
        assertError(client.postMultipart("/api/v1/jobs", spec, Map.of("big.bin", new byte[(int) UPLOAD_LIMIT + 1000])), 413, "PAYLOAD_TOO_LARGE");
        // the job part is not first
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nxx\r\n--" + boundary + "--\r\n";
        assertError(client.send(client.request("/api/v1/jobs").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))), 400, "BAD_REQUEST");
        // truncated
        String cut = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"job\"\r\n\r\n" + spec + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunfinished";
        assertError(client.send(client.request("/api/v1/jobs").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(cut))), 400, "BAD_REQUEST");
        // no boundary
        assertError(client.send(client.request("/api/v1/jobs").header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("x"))), 400, "BAD_REQUEST");
        // an invalid spec after valid uploads
        assertError(client.postMultipart("/api/v1/jobs", "{\"image\":\"\",\"command\":[]}", Map.of("a.txt", new byte[] {1})), 400, "INVALID_JOB_SPEC");
        try (Stream<Path> files = Files.walk(storageDir)) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.tmp/")).toList())
                    .as("no upload of a refused request stays").isEmpty();
        }
    }

    @Test
    void webSocketNonsenseGetsAnErrorMessage() throws Exception {
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        var socket = client.http.newWebSocketBuilder().buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/ws"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                        got.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        for (String bad : List.of("not json", "[]", "{\"subscribe\":\"../../x\"}", "{\"hello\":1}")) {
            socket.sendText(bad, true).get(5, java.util.concurrent.TimeUnit.SECONDS);
            String answer = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer).as("answer to %s", bad).contains("\"error\"");
        }
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye");
    }

    @Test
    void theServerIsHealthyAfterwardsAndNothingWasQueued() {
        badJobSpecs("again", "{\"image\": ", 400, "INVALID_JSON");
        assertThat(client.get("/health/live").status()).isEqualTo(200);
        assertThat(client.get("/health/ready").status()).isEqualTo(200);
        assertThat(ccc.queue().stats().ready()).isZero();
        Client.Response ok = client.postJson("/api/v1/jobs", "{\"image\":\"local/busybox:1\",\"command\":[\"true\"]}");
        assertThat(ok.status()).isEqualTo(201);
        ccc.cancel(io.ccc.JobId.of(ok.json().get("id").asText()));
    }

    private static void assertError(Client.Response r, int status, String code) {
        assertThat(r.status()).as("status of %s", r.text()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = r.json();
        assertThat(body.get("code").asText()).isNotBlank();
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.has("details")).isTrue();
        assertThat(r.text()).doesNotContain("at io.ccc", "Exception:");
        if (code != null) {
            assertThat(body.get("code").asText()).isEqualTo(code);
        }
    }
}

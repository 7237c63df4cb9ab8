package io.ccc.http;

import io.ccc.Ccc;
import io.ccc.Input;
import io.ccc.InvalidJobSpecException;
import io.ccc.Job;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobQuery;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.Json;
import io.ccc.OutputFile;
import io.ccc.Page;
import io.ccc.internal.Durations;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The REST resources under {@code /api/v1}: jobs, their outputs and logs, workers, queue, statistics. */
final class JobsApi implements HttpService {
    private static final Duration FOLLOW_POLL = Duration.ofMillis(200);

    private final Ccc ccc;
    private final ServerConfig config;
    private final EventStreams events;

    JobsApi(Ccc ccc, ServerConfig config, EventStreams events) {
        this.ccc = ccc;
        this.config = config;
        this.events = events;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/jobs:run", this::run)
                .post("/jobs", this::submit)
                .get("/jobs", this::list)
                .get("/jobs/{id}", this::get)
                .delete("/jobs/{id}", this::cancel)
                .post("/jobs/{id}:cancel", this::cancel)
                .get("/jobs/{id}/outputs", this::outputs)
                .get("/jobs/{id}/outputs/{+path}", this::output)
                .get("/jobs/{id}/stdout", (req, res) -> log(req, res, "stdout"))
                .get("/jobs/{id}/stderr", (req, res) -> log(req, res, "stderr"))
                .get("/jobs/{id}/events", events::jobEvents)
                .get("/events", events::allEvents)
                .get("/workers", (req, res) -> Bodies.json(res, 200, Map.of("workers", ccc.jobStore().workers())))
                .get("/queue", (req, res) -> Bodies.json(res, 200, ccc.queue().stats()))
                .get("/stats", (req, res) -> Bodies.json(res, 200, ccc.jobStore().stats()))
                .get("/openapi.yaml", this::openapi);
        // a known path with a method it does not take is 405, not 404
        for (String path : List.of("/jobs:run", "/jobs", "/jobs/{id}", "/jobs/{id}:cancel", "/jobs/{id}/outputs", "/jobs/{id}/outputs/{+path}",
                "/jobs/{id}/stdout", "/jobs/{id}/stderr", "/jobs/{id}/events", "/events", "/workers", "/queue", "/stats", "/openapi.yaml")) {
            rules.any(path, (req, res) -> {
                throw new ApiException(405, "METHOD_NOT_ALLOWED", req.prologue().method().text() + " is not allowed on " + req.path().path());
            });
        }
    }

    /** {@code POST /jobs}: a JSON spec, or multipart with a {@code job} part first and then one part per input file. */
    private void submit(ServerRequest req, ServerResponse res) {
        Bodies.requireMediaType(req, "application/json", "multipart/form-data");
        Job job = Bodies.mediaType(req).equals("multipart/form-data") ? submitMultipart(req) : ccc.submit(Bodies.readJson(req, config.maxJsonBytes(), JobSpec.class));
        Optional<Duration> wait = duration(req, "wait");
        if (wait.isPresent()) {
            job = ccc.await(job.id(), min(wait.get(), config.maxWait()));
        }
        res.header(HeaderNames.LOCATION, "/api/v1/jobs/" + job.id());
        Bodies.json(res, 201, job);
    }

    private Job submitMultipart(ServerRequest req) {
        String boundary = Multipart.boundary(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(""));
        JobId id = JobId.newId();
        boolean submitted = false;
        try (InputStream body = Bodies.limited(req, config.maxUploadBytes())) {
            Multipart parts = new Multipart(body, boundary);
            Multipart.Part first = parts.next();
            if (first == null || !first.name().equals("job")) {
                throw ApiException.badRequest("the first multipart part must be the job spec, named 'job'", List.of());
            }
            JobSpec spec = Bodies.parseJson(first.body(), JobSpec.class);
            List<Input> inputs = new ArrayList<>(spec.inputs());
            for (Multipart.Part part = parts.next(); part != null; part = parts.next()) {
                // the field name is the input's name (the seed did the same)
                inputs.add(ccc.uploadInput(id, part.name(), part.body(), -1));
            }
            JobSpec full = spec.toBuilder().inputs(inputs).build();
            Job job = ccc.submit(id, full);
            submitted = true;
            return job;
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the multipart body: " + e.getMessage(), List.of());
        } finally {
            if (!submitted) {
                ccc.discardUploads(id); // nothing of a refused request stays behind
            }
        }
    }

    /** {@code POST /jobs:run}: a FAST job, answered when it is done (or 504, cancelled, when the time limit passes). */
    private void run(ServerRequest req, ServerResponse res) {
        JobSpec spec = Bodies.readJson(req, config.maxJsonBytes(), JobSpec.class);
        if (spec.kind() != JobKind.FAST) {
            spec = spec.toBuilder().kind(JobKind.FAST).build();
        }
        Duration limit = min(duration(req, "timeout").orElse(config.fastTimeout()), config.fastTimeout());
        Job job = ccc.run(spec, limit);
        if (!job.isTerminal()) {
            ccc.cancel(job.id());
            throw new ApiException(504, "FAST_JOB_TIMEOUT", "job " + job.id() + " did not finish within " + limit + " and was cancelled");
        }
        Bodies.json(res, 200, job);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Bodies.json(res, 200, ccc.require(id(req)));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        Bodies.json(res, 200, ccc.cancel(id(req)));
    }

    /** {@code GET /jobs?state=RUNNING&kind=FAST&label=team=geo&since=2026-11-27T00:00:00Z&limit=50&pageToken=…} */
    private void list(ServerRequest req, ServerResponse res) {
        List<String> problems = new ArrayList<>();
        var query = req.query();
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        for (String s : query.all("state", List::of)) {
            for (String one : s.split(",")) {
                try {
                    states.add(JobState.valueOf(one.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.add("state: unknown state '" + one + "'");
                }
            }
        }
        JobKind kind = null;
        if (query.contains("kind")) {
            try {
                kind = JobKind.valueOf(query.get("kind").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("kind: must be FAST or STANDARD");
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : query.all("label", List::of)) {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                problems.add("label: must be key=value, got '" + l + "'");
            } else {
                labels.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        Instant since = null;
        if (query.contains("since")) {
            try {
                since = Instant.parse(query.get("since"));
            } catch (DateTimeParseException e) {
                problems.add("since: must be an ISO-8601 instant such as 2026-11-27T10:00:00Z");
            }
        }
        int limit = 100;
        if (query.contains("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
                if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
                    problems.add("limit: must be between 1 and " + JobQuery.MAX_LIMIT);
                }
            } catch (NumberFormatException e) {
                problems.add("limit: not a number");
            }
        }
        String token = query.first("pageToken").orElse(null);
        if (token != null) {
            try {
                JobId.of(token);
            } catch (RuntimeException e) {
                problems.add("pageToken: not a token this server gave out");
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid query", problems);
        }
        Page<Job> page = ccc.list(new JobQuery(states, kind, labels, since, limit, token));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("nextPageToken", page.nextPageToken());
        Bodies.json(res, 200, body);
    }

    private void outputs(ServerRequest req, ServerResponse res) {
        Job job = ccc.require(id(req));
        List<Map<String, Object>> files = new ArrayList<>();
        for (OutputFile o : job.outputs()) {
            files.add(Map.of("path", o.path(), "size", o.size(), "url", "/api/v1/jobs/" + job.id() + "/outputs/" + o.path()));
        }
        Bodies.json(res, 200, Map.of("jobId", job.id(), "state", job.state(), "outputs", files));
    }

    /** One output file: streamed, or a 307 to a presigned URL when the storage has them (S3). */
    private void output(ServerRequest req, ServerResponse res) {
        Job job = ccc.require(id(req));
        String path = req.path().pathParameters().get("path");
        OutputFile file = job.output(path).orElseThrow(() -> new ApiException(404, "OUTPUT_NOT_FOUND",
                "job " + job.id() + " has no output " + path));
        sendFile(res, job, file);
    }

    private void sendFile(ServerResponse res, Job job, OutputFile file) {
        if (file.key() != null) {
            Optional<URI> url = ccc.storage().url(file.key(), Duration.ofMinutes(15));
            if (url.isPresent()) {
                res.status(Status.TEMPORARY_REDIRECT_307);
                res.header(HeaderNames.LOCATION, url.get().toString());
                res.send();
                return;
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        res.contentLength(file.size());
        try (InputStream in = ccc.openOutput(job.id(), file.path()); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * stdout or stderr. Finished job: the whole log. Running job: what it wrote so far; with {@code ?follow=true}
     * the response stays open and carries new output as it comes, until the job ends.
     */
    private void log(ServerRequest req, ServerResponse res, String stream) {
        JobId id = id(req);
        Job job = ccc.require(id);
        boolean follow = req.query().first("follow").map(Boolean::parseBoolean).orElse(false);
        if (job.isTerminal() && !follow) {
            OutputFile file = "stdout".equals(stream) ? job.stdout() : job.stderr();
            if (file == null) {
                throw new ApiException(404, "OUTPUT_NOT_FOUND", "job " + id + " has no " + stream);
            }
            sendFile(res, job, file);
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        try (OutputStream out = res.outputStream()) {
            long offset = 0;
            while (true) {
                byte[] chunk = ccc.jobStore().readLog(id, stream, offset, 64 * 1024);
                if (chunk.length > 0) {
                    out.write(chunk);
                    out.flush();
                    offset += chunk.length;
                    continue;
                }
                job = ccc.require(id);
                if (job.isTerminal()) {
                    // the rest (or all, if the live log was capped or never kept) from the final log
                    OutputFile file = "stdout".equals(stream) ? job.stdout() : job.stderr();
                    if (file != null) {
                        try (InputStream in = ccc.openOutput(id, file.path())) {
                            in.skipNBytes(Math.min(offset, file.size()));
                            in.transferTo(out);
                        }
                    }
                    return;
                }
                if (!follow) {
                    return;
                }
                Thread.sleep(FOLLOW_POLL.toMillis());
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void openapi(ServerRequest req, ServerResponse res) {
        try (InputStream in = JobsApi.class.getResourceAsStream("openapi.yaml")) {
            res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
            res.send(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JobId id(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            return JobId.of(raw);
        } catch (InvalidJobSpecException e) {
            throw new ApiException(404, "JOB_NOT_FOUND", "no job " + raw);
        }
    }

    private static Optional<Duration> duration(ServerRequest req, String name) {
        Optional<String> raw = req.query().first(name).map(v -> v);
        try {
            return raw.map(Durations::parse);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid query", List.of(name + ": " + e.getMessage()));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

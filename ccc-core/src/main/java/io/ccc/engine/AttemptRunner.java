package io.ccc.engine;

import io.ccc.CccException;
import io.ccc.ConcurrentUpdateException;
import io.ccc.Input;
import io.ccc.Job;
import io.ccc.JobError;
import io.ccc.JobKind;
import io.ccc.JobNotFoundException;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.Json;
import io.ccc.OutputFile;
import io.ccc.Phase;
import io.ccc.internal.Names;
import io.ccc.spi.ContainerExit;
import io.ccc.spi.ContainerSpec;
import io.ccc.spi.LeaseLostException;
import io.ccc.spi.Storage;
import io.ccc.spi.StorageKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one attempt of one job through its phases; every job write is fenced by the attempt. */
final class AttemptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private final Worker worker;

    AttemptRunner(Worker worker) {
        this.worker = worker;
    }

    void run(Attempt a) {
        try {
            Job job = a.job;
            if (job == null || job.isTerminal()) {
                ackQuietly(a); // deleted, unreadable, cancelled while queued, or finished by an earlier attempt
                return;
            }
            if (a.token() <= job.attempt()) {
                LOG.warn("job {}: delivery {} is older than attempt {} in the store; dropping it", job.id(), a.token(), job.attempt());
                ackQuietly(a);
                return;
            }
            execute(a);
        } catch (RuntimeException e) {
            LOG.error("job {}: attempt {} failed unexpectedly", a.lease().jobId(), a.token(), e);
        } finally {
            a.markDone();
            worker.finished(a);
        }
    }

    private void execute(Attempt a) {
        JobSpec spec = a.job.spec();
        if (a.token() > spec.retry().maxAttempts()) {
            JobError last = a.job.error() != null ? a.job.error() : new JobError("WORKER_LOST", "the worker running the job stopped answering");
            finishWithoutRunning(a, JobState.ERROR, new JobError("ATTEMPTS_EXHAUSTED",
                    "gave up after " + spec.retry().maxAttempts() + " attempt(s); last: " + last.code() + ": " + last.message()));
            return;
        }
        if (a.job.state() == JobState.QUEUED && spec.limits().maxQueued() != null
                && Duration.between(a.job.createdAt(), Instant.now()).compareTo(spec.limits().maxQueued()) > 0) {
            finishWithoutRunning(a, JobState.TIMED_OUT, new JobError("QUEUE_TIMEOUT", "waited in the queue longer than " + spec.limits().maxQueued()));
            return;
        }
        String containerId = null;
        Path temp = null;
        try {
            Instant start = Instant.now();
            a.job = write(a, Write.FIRST, j -> j.toBuilder().state(JobState.RUNNING).attempt(a.token()).workerId(worker.id())
                    .startedAt(start).finishedAt(null).exitCode(null).outputs(List.of()).stdout(null).stderr(null)
                    .clearPhases().enterPhase(Phase.PULLING_IMAGE, start).updatedAt(start).build());
            worker.runner().pullIfMissing(spec.image());
            a.check();

            enter(a, Phase.COPYING_INPUTS);
            temp = Files.createDirectories(worker.config().tempDir()).resolve(a.job.id().value() + "-" + a.token());
            Files.createDirectories(temp);
            containerId = worker.runner().create(containerSpec(a));
            a.setContainer(containerId, worker.runner());
            try (InputStream tar = Tar.stream(inputEntries(a.job, temp))) {
                worker.runner().copyIn(containerId, "/", tar);
            }
            a.check();

            enter(a, Phase.RUNNING);
            Instant deadline = Instant.now().plus(spec.limits().maxDuration());
            worker.runner().start(containerId);
            Thread follower = a.job.kind() == JobKind.STANDARD ? followLogs(a.job, containerId) : null;
            Optional<ContainerExit> exit = worker.runner().await(containerId, Duration.between(Instant.now(), deadline));
            if (follower != null) {
                follower.join(Duration.ofSeconds(2)); // the follow stream ends with the container
            }
            a.check();
            boolean timedOut = exit.isEmpty();
            if (timedOut) {
                worker.runner().kill(containerId);
                LOG.info("job {}: killed at maxDuration {}", a.job.id(), spec.limits().maxDuration());
                worker.runner().await(containerId, KILL_WAIT);
            }

            enter(a, Phase.COPYING_OUTPUTS);
            List<OutputFile> outputs = collectOutputs(a, containerId);
            OutputFile[] logs = collectLogs(a, containerId, temp);
            a.check();

            JobState state;
            JobError error = null;
            Integer exitCode = exit.map(ContainerExit::exitCode).orElse(null);
            if (timedOut) {
                state = JobState.TIMED_OUT;
                error = new JobError("TIMED_OUT", "the container ran longer than maxDuration " + spec.limits().maxDuration() + " and was killed");
            } else if (exit.get().oomKilled()) {
                state = JobState.FAILED;
                error = new JobError("OOM_KILLED", "the container exceeded its memory limit of " + spec.resources().memory() + " bytes");
            } else if (exitCode == 0) {
                state = JobState.SUCCEEDED;
            } else {
                state = JobState.FAILED;
            }
            if (a.job.kind() == JobKind.STANDARD) {
                // gone before the job is reported finished, so a finished STANDARD job never has a container;
                // a FAST job's caller is waiting, so its container goes right after the answer (finally below)
                worker.runner().remove(containerId);
                containerId = null;
            }
            Instant end = Instant.now();
            JobError finalError = error;
            finish(a, j -> j.toBuilder().state(state).exitCode(exitCode).error(finalError).outputs(outputs)
                    .stdout(logs[0]).stderr(logs[1]).endPhase(end).finishedAt(end).updatedAt(end).build());
            LOG.info("job {} {} (exit {}, attempt {})", a.job.id(), state, exitCode, a.token());
        } catch (Attempt.AbortedException e) {
            aborted(a, e.reason);
        } catch (LeaseLostException e) {
            aborted(a, Attempt.Abort.LEASE_LOST);
        } catch (CccException e) {
            if (a.aborted() != null) {
                aborted(a, a.aborted());
            } else {
                failed(a, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aborted(a, Attempt.Abort.SHUTDOWN);
        } catch (IOException | RuntimeException e) {
            if (a.aborted() != null) {
                aborted(a, a.aborted());
            } else {
                failed(a, new CccException("WORKER_ERROR", e.toString(), true, e));
            }
        } finally {
            if (containerId != null) {
                try {
                    worker.runner().remove(containerId);
                } catch (RuntimeException e) {
                    LOG.warn("job {}: could not remove container {}: {}", a.lease().jobId(), containerId, e.toString());
                }
            }
            deleteQuietly(temp);
        }
    }

    private ContainerSpec containerSpec(Attempt a) {
        JobSpec spec = a.job.spec();
        Map<String, String> env = new HashMap<>(spec.env());
        env.put("CCC_JOB_ID", a.job.id().value());
        env.put("CCC_ATTEMPT", String.valueOf(a.token()));
        env.put("INPUTS", "/inputs");
        env.put("OUTPUTS", "/outputs");
        Map<String, String> labels = Map.of(
                Worker.LABEL_JOB, a.job.id().value(),
                Worker.LABEL_WORKER, worker.id(),
                Worker.LABEL_ATTEMPT, String.valueOf(a.token()));
        return new ContainerSpec(spec.image(), spec.command(), env, spec.workingDir(), spec.resources().cpus(),
                spec.resources().memory(), spec.resources().pids(), spec.network().dockerName(), labels);
    }

    /** /inputs and /outputs (world-writable, for images that run as a non-root user) and every input file. */
    private List<Tar.Entry> inputEntries(Job job, Path temp) throws IOException {
        List<Tar.Entry> entries = new ArrayList<>();
        entries.add(Tar.Entry.directory("inputs"));
        entries.add(Tar.Entry.directory("outputs"));
        Set<String> dirs = new LinkedHashSet<>();
        for (Input input : job.spec().inputs()) {
            String name = input.name();
            for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                if (dirs.add(name.substring(0, i))) {
                    entries.add(Tar.Entry.directory("inputs/" + name.substring(0, i)));
                }
            }
            String path = "inputs/" + name;
            if (input.isInline()) {
                entries.add(Tar.Entry.file(path, input.decodedValue()));
            } else if (input.key() != null) {
                Storage storage = worker.storage();
                long size = storage.stat(input.key()).orElseThrow(() -> new CccException("INPUT_NOT_FOUND",
                        "input " + name + ": no object at storage key " + input.key(), false)).size();
                entries.add(Tar.Entry.file(path, size, () -> storage.get(input.key())));
            } else {
                Path file = download(input, temp);
                entries.add(Tar.Entry.file(path, Files.size(file), () -> {
                    try {
                        return Files.newInputStream(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
        }
        return entries;
    }

    private static Path download(Input input, Path temp) throws IOException {
        Path file = Files.createTempFile(temp, "input-", ".download");
        HttpRequest request = HttpRequest.newBuilder(URI.create(input.url())).timeout(Duration.ofMinutes(10)).GET().build();
        try {
            HttpResponse<Path> response = HTTP.send(request, HttpResponse.BodyHandlers.ofFile(file));
            int status = response.statusCode();
            if (status != 200) {
                throw new CccException("INPUT_DOWNLOAD_FAILED", "input " + input.name() + ": GET " + input.url() + " answered " + status,
                        status >= 500 || status == 429);
            }
            return file;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CccException("INPUT_DOWNLOAD_FAILED", "input " + input.name() + ": interrupted", true, e);
        } catch (IOException e) {
            throw new CccException("INPUT_DOWNLOAD_FAILED", "input " + input.name() + ": GET " + input.url() + " failed: " + e, true, e);
        }
    }

    /**
     * Reads /outputs out of the container as a tar stream: regular files only. Symlinks (which could point
     * anywhere) and hard links are skipped, never followed, and so is any name that fails the name rules.
     */
    private List<OutputFile> collectOutputs(Attempt a, String containerId) throws IOException {
        Optional<InputStream> archive = worker.runner().copyOut(containerId, "/outputs");
        if (archive.isEmpty()) {
            return List.of();
        }
        boolean fast = a.job.kind() == JobKind.FAST;
        long budget = worker.config().fastOutputLimit();
        List<OutputFile> outputs = new ArrayList<>();
        try (Tar.Reader tar = new Tar.Reader(archive.get())) {
            for (Tar.Reader.Header h = tar.next(); h != null; h = tar.next()) {
                String name = h.name();
                int slash = name.indexOf('/');
                String rel = slash < 0 ? "" : name.substring(slash + 1); // drop the leading "outputs/"
                if (rel.endsWith("/")) {
                    rel = rel.substring(0, rel.length() - 1);
                }
                if (rel.isEmpty() || h.type() == Tar.Reader.Type.DIRECTORY) {
                    continue;
                }
                if (h.type() != Tar.Reader.Type.FILE) {
                    LOG.info("job {}: output {} is a {}, not a regular file; skipped", a.job.id(), Names.printable(rel), h.type());
                    continue;
                }
                if (!Names.problems("output", rel).isEmpty()) {
                    LOG.warn("job {}: output name {} is not allowed; skipped", a.job.id(), Names.printable(rel));
                    continue;
                }
                if (fast) {
                    budget -= h.size();
                    if (budget < 0) {
                        throw new CccException("OUTPUTS_TOO_LARGE", "FAST job outputs exceed " + worker.config().fastOutputLimit()
                                + " bytes; use a STANDARD job for large outputs", false);
                    }
                    outputs.add(OutputFile.inline(rel, tar.content().readAllBytes(), false));
                } else {
                    String key = StorageKeys.output(a.job.id(), a.token(), rel);
                    long size = worker.storage().put(key, tar.content(), h.size());
                    outputs.add(OutputFile.stored(rel, size, key));
                }
            }
        }
        outputs.sort(Comparator.comparing(OutputFile::path));
        return outputs;
    }

    /** Streams the running container's output into the job store's live log, for followers anywhere. */
    private Thread followLogs(Job job, String containerId) {
        return Thread.ofVirtual().name("ccc-follow-" + job.id()).start(() -> {
            try (LiveLog out = new LiveLog(worker.store(), job.id(), "stdout"); LiveLog err = new LiveLog(worker.store(), job.id(), "stderr")) {
                worker.runner().logs(containerId, out, err, true);
            } catch (RuntimeException e) {
                LOG.debug("live logs of {} stopped: {}", job.id(), e.toString());
            }
        });
    }

    /** stdout and stderr: inline (capped) for FAST jobs, to Storage through temp files for STANDARD ones. */
    private OutputFile[] collectLogs(Attempt a, String containerId, Path temp) throws IOException {
        if (a.job.kind() == JobKind.FAST) {
            CappedBuffer out = new CappedBuffer(worker.config().fastLogLimit());
            CappedBuffer err = new CappedBuffer(worker.config().fastLogLimit());
            worker.runner().logs(containerId, out, err, false);
            return new OutputFile[] {
                OutputFile.inline("stdout", out.toByteArray(), out.truncated()),
                OutputFile.inline("stderr", err.toByteArray(), err.truncated())};
        }
        Path out = temp.resolve("stdout");
        Path err = temp.resolve("stderr");
        try (OutputStream o = Files.newOutputStream(out); OutputStream e = Files.newOutputStream(err)) {
            worker.runner().logs(containerId, o, e, false);
        }
        OutputFile[] logs = new OutputFile[2];
        String[] names = {"stdout", "stderr"};
        Path[] files = {out, err};
        for (int i = 0; i < 2; i++) {
            String key = StorageKeys.log(a.job.id(), a.token(), names[i]);
            try (InputStream in = Files.newInputStream(files[i])) {
                logs[i] = OutputFile.stored(names[i], worker.storage().put(key, in, Files.size(files[i])), key);
            }
        }
        return logs;
    }

    /**
     * The final write: for STANDARD jobs the result document (the finished job as JSON) goes to Storage first,
     * so whoever sees the job finished can read it; it is removed again if the write is refused.
     */
    private void finish(Attempt a, UnaryOperator<Job> change) {
        String resultKey = null;
        if (a.job.kind() == JobKind.STANDARD) {
            Job expected = change.apply(a.job).withVersion(a.job.version() + 1);
            try {
                byte[] json = Json.writeBytes(expected);
                worker.storage().put(StorageKeys.result(expected.id()), new ByteArrayInputStream(json), json.length);
                resultKey = StorageKeys.result(expected.id());
            } catch (RuntimeException e) {
                LOG.warn("job {}: could not write result.json: {}", expected.id(), e.toString());
            }
        }
        try {
            a.job = write(a, Write.LAST, change);
        } catch (RuntimeException e) {
            if (resultKey != null) {
                try {
                    worker.storage().deleteByPrefix(resultKey);
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
            throw e;
        }
    }

    /** A system failure: retried with back-off while attempts remain, else ERROR. */
    private void failed(Attempt a, CccException e) {
        JobSpec spec = a.job.spec();
        boolean retry = e.retryable() && a.token() < spec.retry().maxAttempts();
        JobError error = JobError.of(e);
        Instant now = Instant.now();
        try {
            if (retry) {
                Duration backoff = spec.retry().backoff(a.token());
                LOG.warn("job {}: attempt {} failed ({}); retrying in {} ms", a.job.id(), a.token(), e.getMessage(), backoff.toMillis());
                a.job = write(a, Write.NEXT, j -> j.toBuilder().state(JobState.QUEUED).error(error).endPhase(now).phase(null).updatedAt(now).build());
                worker.storage().deleteByPrefix(StorageKeys.attemptPrefix(a.job.id(), a.token()));
                worker.queue().release(a.lease(), backoff);
            } else {
                LOG.warn("job {}: attempt {} failed for good: {}", a.job.id(), a.token(), e.getMessage());
                finish(a, j -> j.toBuilder().state(JobState.ERROR).error(error).endPhase(now).finishedAt(now).updatedAt(now).build());
            }
        } catch (Attempt.AbortedException | LeaseLostException ex) {
            aborted(a, ex instanceof Attempt.AbortedException ae ? ae.reason : Attempt.Abort.LEASE_LOST);
        } catch (RuntimeException ex) {
            // the store is unreachable: leave the lease to expire so another worker retries the job
            LOG.error("job {}: could not record the failure ({}); the lease will expire and the job be retried", a.job.id(), ex.toString());
        }
    }

    private void aborted(Attempt a, Attempt.Abort reason) {
        switch (reason) {
            case CANCELLED -> {
                LOG.info("job {}: cancelled during attempt {}", a.job.id(), a.token());
                deleteAttemptFiles(a);
                ackQuietly(a);
            }
            case LEASE_LOST -> {
                LOG.warn("job {}: attempt {} lost its lease; its results are discarded", a.job.id(), a.token());
                deleteAttemptFiles(a);
            }
            case SHUTDOWN -> {
                // not the job's fault: back to the queue at once; the next delivery is a new attempt
                try {
                    Instant now = Instant.now();
                    a.job = write(a, Write.NEXT, j -> j.toBuilder().state(JobState.QUEUED).phase(null).endPhase(now).updatedAt(now)
                            .error(new JobError("WORKER_SHUTDOWN", "the worker shut down during the attempt")).build());
                    deleteAttemptFiles(a);
                    worker.queue().release(a.lease(), Duration.ZERO);
                } catch (RuntimeException e) {
                    LOG.warn("job {}: could not hand back on shutdown ({}); its lease will expire", a.job.id(), e.toString());
                }
            }
        }
    }

    private void finishWithoutRunning(Attempt a, JobState state, JobError error) {
        Instant now = Instant.now();
        try {
            a.job = write(a, Write.FIRST_AND_LAST, j -> j.toBuilder().state(state).attempt(a.token()).error(error).finishedAt(now).updatedAt(now).build());
        } catch (Attempt.AbortedException | LeaseLostException e) {
            ackQuietly(a);
        }
    }

    private void enter(Attempt a, Phase phase) {
        a.check();
        Instant now = Instant.now();
        a.job = write(a, Write.NEXT, j -> j.toBuilder().enterPhase(phase, now).updatedAt(now).build());
    }

    /** Which write of an attempt: the first needs a stored attempt older than ours; the last also acks the lease. */
    private enum Write {
        FIRST, NEXT, LAST, FIRST_AND_LAST;

        boolean first() {
            return this == FIRST || this == FIRST_AND_LAST;
        }

        boolean last() {
            return this == LAST || this == FIRST_AND_LAST;
        }
    }

    /**
     * Compare-and-set write of the attempt's job, retried on version conflicts. The guard: the first write of
     * an attempt needs a stored attempt older than ours; later ones need ours, RUNNING. A cancelled job aborts
     * the attempt; any other mismatch means another attempt took over. The last write goes with the ack, in
     * one step and only while the lease is held (the fence).
     */
    private Job write(Attempt a, Write which, UnaryOperator<Job> change) {
        Job current = a.job;
        for (int tries = 0; ; tries++) {
            if (current.state() == JobState.CANCELLED) {
                throw new Attempt.AbortedException(Attempt.Abort.CANCELLED);
            }
            boolean ours = which.first() ? current.attempt() < a.token() && !current.isTerminal()
                    : current.attempt() == a.token() && current.state() == JobState.RUNNING;
            if (!ours) {
                throw new LeaseLostException(a.lease().jobId(), a.token());
            }
            try {
                Job next = change.apply(current);
                return which.last() ? worker.queue().complete(worker.store(), a.lease(), next) : worker.store().update(next);
            } catch (ConcurrentUpdateException e) {
                if (tries > 20) {
                    throw e;
                }
                current = worker.store().get(a.lease().jobId()).orElseThrow(() -> new JobNotFoundException(a.lease().jobId()));
            }
        }
    }

    private void deleteAttemptFiles(Attempt a) {
        if (a.job.kind() == JobKind.STANDARD) {
            try {
                worker.storage().deleteByPrefix(StorageKeys.attemptPrefix(a.job.id(), a.token()));
            } catch (RuntimeException e) {
                LOG.warn("job {}: could not delete files of attempt {}: {}", a.job.id(), a.token(), e.toString());
            }
        }
    }

    private void ackQuietly(Attempt a) {
        try {
            worker.queue().ack(a.lease());
        } catch (LeaseLostException e) {
            LOG.debug("ack of {} after the lease moved on", a.key());
        } catch (RuntimeException e) {
            LOG.warn("ack of job {} failed: {}", a.lease().jobId(), e.toString());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left for the OS temp cleaner
                }
            });
        } catch (IOException e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }

    /** Keeps the first {@code limit} bytes and remembers whether more came. */
    static final class CappedBuffer extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final long limit;
        private boolean truncated;

        CappedBuffer(long limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            long room = limit - buffer.size();
            if (len > room) {
                truncated = true;
            }
            buffer.write(b, off, (int) Math.max(0, Math.min(len, room)));
        }

        synchronized byte[] toByteArray() {
            return buffer.toByteArray();
        }

        synchronized boolean truncated() {
            return truncated;
        }
    }
}

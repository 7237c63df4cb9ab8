package io.ccc.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.Ccc;
import io.ccc.Input;
import io.ccc.Job;
import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.OutputFile;
import io.ccc.Phase;
import io.ccc.Resources;
import io.ccc.RetryPolicy;
import io.ccc.embedded.InMemoryJobStore;
import io.ccc.embedded.InMemoryQueue;
import io.ccc.embedded.LocalStorage;
import io.ccc.engine.Worker;
import io.ccc.engine.WorkerConfig;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.JobStore;
import io.ccc.spi.Lease;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueStats;
import io.ccc.spi.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end through {@link Ccc}: real containers on a real engine. Queue, job store and storage default to
 * the embedded ones; backend modules override the factories to run the same suite on theirs.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EngineContract {
    private static final Logger LOG = LoggerFactory.getLogger(EngineContract.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    protected ContainerRunner runner;
    protected Queue queue;
    protected JobStore store;
    protected Storage storage;
    private Path storageDir;
    private Path tempDir;
    private final List<Ccc> opened = new ArrayList<>();
    private final List<String> workerIds = new ArrayList<>();

    protected abstract ContainerRunner createRunner();

    protected Queue createQueue() {
        return new InMemoryQueue();
    }

    protected JobStore createStore() {
        return new InMemoryJobStore();
    }

    protected Storage createStorage(Path dir) {
        return new LocalStorage(dir);
    }

    protected String image() {
        return "local/busybox:1";
    }

    @BeforeAll
    void openRunner() {
        runner = createRunner();
    }

    @AfterAll
    void closeRunner() {
        runner.close();
    }

    @BeforeEach
    void openBackends() throws IOException {
        storageDir = Files.createTempDirectory("ccc-engine-tck");
        tempDir = Files.createTempDirectory("ccc-engine-tck-worker");
        queue = createQueue();
        store = createStore();
        storage = createStorage(storageDir);
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(Ccc::close);
        opened.clear();
        // every container a worker made is gone once the worker has stopped
        for (String w : workerIds) {
            assertThat(runner.containers(Map.of(Worker.LABEL_WORKER, w))).as("containers left by worker %s", w).isEmpty();
        }
        workerIds.clear();
        try (var left = Files.list(tempDir)) {
            assertThat(left.toList()).as("worker temp files left").isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        queue.close();
        store.close();
        storage.close();
    }

    protected WorkerConfig workerConfig() {
        String id = "tck-" + UUID.randomUUID().toString().substring(0, 8);
        workerIds.add(id);
        return WorkerConfig.defaults().withId(id).withSlots(2).withLeaseTime(Duration.ofSeconds(6))
                .withPollWait(Duration.ofSeconds(1)).withShutdownGrace(Duration.ofSeconds(5)).withTempDir(tempDir)
                .withHeartbeatInterval(Duration.ofMillis(500));
    }

    protected Ccc ccc(WorkerConfig config) {
        Ccc ccc = Ccc.builder().queue(queue).jobStore(store).storage(storage).containerRunner(runner)
                .worker(config != null).workerConfig(config).build();
        opened.add(ccc);
        return ccc;
    }

    protected Ccc ccc() {
        return ccc(workerConfig());
    }

    private JobSpec.Builder sh(String script) {
        return JobSpec.builder(image()).command("sh", "-c", script);
    }

    private byte[] bytes(Ccc ccc, JobId id, String path) throws IOException {
        try (InputStream in = ccc.openOutput(id, path)) {
            return in.readAllBytes();
        }
    }

    private String text(Ccc ccc, JobId id, String path) throws IOException {
        return new String(bytes(ccc, id, path), StandardCharsets.UTF_8);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void smallInlineInputsOfAStandardJobStayInTheJobRecord() throws Exception {
        Ccc ccc = ccc();
        Job submitted = ccc.submit(sh("cat /inputs/a.txt /inputs/b.txt > /outputs/ab.txt")
                .input(Input.text("a.txt", "small "))
                .input(Input.bytes("b.txt", "x".repeat(Ccc.KEEP_INLINE_BYTES - 6).getBytes(StandardCharsets.UTF_8)))
                .build());
        assertThat(submitted.spec().inputs()).allMatch(Input::isInline);
        assertThat(storage.list("jobs/" + submitted.id() + "/inputs/")).isEmpty();
        Job job = ccc.await(submitted.id(), WAIT);
        assertThat(job.state()).as("job %s", job).isEqualTo(JobState.SUCCEEDED);
        try (var in = ccc.openOutput(job.id(), "ab.txt")) {
            assertThat(in.readAllBytes()).hasSize(Ccc.KEEP_INLINE_BYTES);
        }
    }

    @Test
    void standardJobWithInputsAndNestedOutputs() throws Exception {
        Ccc ccc = ccc();
        byte[] binary = new byte[70_000];
        new Random(42).nextBytes(binary);
        binary[0] = 0;
        byte[] stored = "from storage\n".getBytes(StandardCharsets.UTF_8);
        storage.put("shared/lib.txt", new ByteArrayInputStream(stored), stored.length);

        Job submitted = ccc.submit(sh("set -e; cat /inputs/greeting.txt; echo problem >&2;"
                + " mkdir -p /outputs/nested/deeper; cp /inputs/bin/data.bin /outputs/nested/deeper/copy.bin;"
                + " wc -c < /inputs/bin/data.bin | tr -d ' ' > /outputs/size.txt; cat /inputs/lib.txt > /outputs/lib-copy.txt;"
                + " echo $CCC_JOB_ID > /outputs/id.txt")
                .input(Input.text("greeting.txt", "hello\n"))
                .input(Input.bytes("bin/data.bin", binary))
                .input(Input.fromStorage("lib.txt", "shared/lib.txt"))
                .build());
        assertThat(submitted.state()).isEqualTo(JobState.QUEUED);
        // inline inputs of a STANDARD job over Ccc.KEEP_INLINE_BYTES in all went to Storage before it was queued
        assertThat(submitted.spec().inputs()).allMatch(i -> i.key() != null);
        assertThat(storage.stat("jobs/" + submitted.id() + "/inputs/bin/data.bin")).isPresent();

        Job job = ccc.await(submitted.id(), WAIT);
        assertThat(job.state()).as("job %s", job).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.exitCode()).isZero();
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.outputs()).extracting(OutputFile::path)
                .containsExactly("id.txt", "lib-copy.txt", "nested/deeper/copy.bin", "size.txt");
        OutputFile copy = job.output("nested/deeper/copy.bin").orElseThrow();
        assertThat(copy.size()).isEqualTo(binary.length);
        try (InputStream in = storage.get(copy.key())) {
            assertThat(in.readAllBytes()).isEqualTo(binary);
        }
        assertThat(text(ccc, job.id(), "size.txt")).isEqualTo(binary.length + "\n");
        assertThat(text(ccc, job.id(), "lib-copy.txt")).isEqualTo("from storage\n");
        assertThat(text(ccc, job.id(), "id.txt")).isEqualTo(job.id() + "\n");
        assertThat(text(ccc, job.id(), "stdout")).isEqualTo("hello\n");
        assertThat(text(ccc, job.id(), "stderr")).isEqualTo("problem\n");
        assertThat(job.stdout().key()).startsWith("jobs/" + job.id() + "/");
        assertThat(job.phases().keySet()).containsExactly(Phase.PULLING_IMAGE, Phase.COPYING_INPUTS, Phase.RUNNING, Phase.COPYING_OUTPUTS);
        assertThat(job.phases().values()).allSatisfy(s -> assertThat(s.end()).isNotNull().isAfterOrEqualTo(s.start()));
        assertThat(job.startedAt()).isAfterOrEqualTo(job.createdAt());
        assertThat(job.finishedAt()).isAfterOrEqualTo(job.startedAt());
        assertThat(storage.stat("jobs/" + job.id() + "/result.json")).isPresent();
        LOG.info("standard job phases: {}", job.phaseDurations());
    }

    @Test
    void nonZeroExitIsFailedAndNotRetried() {
        Ccc ccc = ccc();
        Job job = ccc.run(sh("echo bad >&2; exit 3").retry(RetryPolicy.attempts(3)).build(), WAIT);
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.exitCode()).isEqualTo(3);
        assertThat(job.attempt()).isEqualTo(1);
    }

    @Test
    void maxDurationKillsTheContainer() throws Exception {
        Ccc ccc = ccc();
        Job job = ccc.run(sh("echo started; sleep 60").maxDuration(Duration.ofSeconds(2)).build(), WAIT);
        assertThat(job.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(job.error().code()).isEqualTo("TIMED_OUT");
        Instant deadline = job.phases().get(Phase.RUNNING).start().plus(Duration.ofSeconds(2));
        Duration late = Duration.between(deadline, job.phases().get(Phase.RUNNING).end());
        LOG.info("container killed {} ms after its deadline", late.toMillis());
        assertThat(late).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofSeconds(10)); // not the 60 s sleep
        assertThat(text(ccc, job.id(), "stdout")).isEqualTo("started\n");
        assertThat(runner.containers(Map.of(Worker.LABEL_JOB, job.id().value()))).isEmpty();
    }

    @Test
    void cancelWhileRunningKillsAndRemovesTheContainer() throws Exception {
        Ccc ccc = ccc();
        Job job = ccc.submit(sh("sleep 60").build());
        eventually("the job to run", () -> ccc.require(job.id()).phase() == Phase.RUNNING);
        Job cancelled = ccc.cancel(job.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        eventually("its container to be gone", () -> runner.containers(Map.of(Worker.LABEL_JOB, job.id().value())).isEmpty());
        eventually("the worker to let go", () -> ccc.worker().orElseThrow().runningJobs().isEmpty());
        assertThat(ccc.require(job.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(ccc.cancel(job.id()).state()).as("cancel is idempotent").isEqualTo(JobState.CANCELLED);
    }

    @Test
    void cancelWhileQueuedTakesItOffTheQueue() {
        Ccc ccc = ccc(null);
        Job job = ccc.submit(sh("true").build());
        assertThat(ccc.cancel(job.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(queue.stats().ready()).isZero();
    }

    @Test
    void unknownImageIsAnErrorAfterOneAttempt() {
        Ccc ccc = ccc();
        Job job = ccc.run(JobSpec.builder("local/ccc-no-such-image:404").command("true").retry(RetryPolicy.attempts(3)).build(), WAIT);
        assertThat(job.state()).isEqualTo(JobState.ERROR);
        assertThat(job.error().code()).isEqualTo("IMAGE_NOT_FOUND");
        assertThat(job.attempt()).isEqualTo(1);
    }

    @Test
    void memoryLimitExceededIsReportedAsOom() {
        Ccc ccc = ccc();
        Job job = ccc.run(sh("x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done")
                .resources(Resources.of(1, 16L << 20)).build(), WAIT);
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error().code()).isEqualTo("OOM_KILLED");
        assertThat(job.exitCode()).isEqualTo(137);
    }

    @Test
    void systemFailuresAreRetriedWithBackoffThenError() {
        Ccc ccc = ccc();
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        ccc.subscribe(events::add);
        Job job = ccc.run(sh("true").input(Input.fromUrl("in.txt", java.net.URI.create("http://127.0.0.1:1/nothing")))
                .retry(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(400))).build(), WAIT);
        assertThat(job.state()).isEqualTo(JobState.ERROR);
        assertThat(job.error().code()).isEqualTo("INPUT_DOWNLOAD_FAILED");
        assertThat(job.attempt()).isEqualTo(3);
        assertThat(events.stream().filter(e -> e.jobId().equals(job.id()) && e.state() == JobState.QUEUED).count())
                .as("submitted once, requeued twice").isEqualTo(3);
    }

    @Test
    void fastJobReturnsResultsInline() {
        Ccc ccc = ccc();
        Job job = ccc.run(sh("tr a-z A-Z < /inputs/in.txt > /outputs/up.txt; echo done").kind(JobKind.FAST)
                .input(Input.text("in.txt", "quick")).build(), WAIT);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.output("up.txt").orElseThrow().data()).isEqualTo("QUICK".getBytes(StandardCharsets.UTF_8));
        assertThat(job.stdout().data()).isEqualTo("done\n".getBytes(StandardCharsets.UTF_8));
        assertThat(storage.list("jobs/" + job.id() + "/")).as("FAST jobs never touch Storage").isEmpty();
    }

    @Test
    void fastJobIsServedBeforeTwentyQueuedStandardJobs() {
        Ccc submitter = ccc(null);
        List<JobId> standard = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            standard.add(submitter.submit(sh("true").build()).id());
        }
        JobId fast = submitter.submit(sh("echo fast").kind(JobKind.FAST).build()).id();
        Ccc worker = ccc(workerConfig().withSlots(1));
        Job fastJob = worker.await(fast, WAIT);
        assertThat(fastJob.state()).isEqualTo(JobState.SUCCEEDED);
        List<Job> standardJobs = standard.stream().map(id -> worker.await(id, WAIT)).toList();
        assertThat(standardJobs).allMatch(j -> j.state() == JobState.SUCCEEDED);
        Instant firstStandard = standardJobs.stream().map(Job::startedAt).min(Comparator.naturalOrder()).orElseThrow();
        assertThat(fastJob.startedAt()).isBefore(firstStandard);
    }

    @Test
    void aWorkerThatLostItsLeaseCannotCompleteTheJob() throws Exception {
        // a lease long enough that a loaded machine does not lose it by accident before the test stalls A
        Ccc a = ccc(workerConfig().withSlots(1).withLeaseTime(Duration.ofSeconds(2)));
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        a.subscribe(events::add);
        Job job = a.submit(sh("sleep 5; echo $CCC_ATTEMPT > /outputs/attempt.txt").build());
        eventually("worker A to run it", () -> a.require(job.id()).phase() == Phase.RUNNING);
        a.worker().orElseThrow().suspendLeaseRenewal(); // A stalls: its lease runs out

        Ccc b = ccc(workerConfig().withSlots(1).withLeaseTime(Duration.ofSeconds(6)));
        Job done = b.await(job.id(), WAIT);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.workerId()).isEqualTo(b.worker().orElseThrow().id());
        assertThat(text(b, job.id(), "attempt.txt")).isEqualTo("2\n");
        // A's container ends too; its attempt must not have written anything after B took over
        eventually("worker A to give up", () -> a.worker().orElseThrow().runningJobs().isEmpty());
        Thread.sleep(500);
        assertThat(events.stream().filter(e -> e.jobId().equals(job.id()) && e.state().isTerminal()).count())
                .as("finished once").isEqualTo(1);
        assertThat(a.require(job.id())).isEqualTo(done);
        assertThat(storage.list("jobs/" + job.id() + "/attempts/1/")).as("attempt 1 left no files").isEmpty();
    }

    @Test
    void anUnhealthyWorkerTakesNoJobsAndSaysWhy() throws Exception {
        // a disk threshold below the engine disk's real use makes this worker unhealthy for real
        Ccc sick = ccc(workerConfig().withDiskThreshold(0.0001));
        Job job = sick.submit(sh("true").build());
        eventually("the worker to report itself unhealthy", () -> store.workers().stream()
                .anyMatch(w -> w.id().equals(sick.worker().orElseThrow().id()) && !w.healthy() && w.reason().contains("disk")));
        Thread.sleep(1500);
        assertThat(sick.require(job.id()).state()).isEqualTo(JobState.QUEUED);
        Ccc healthy = ccc();
        assertThat(healthy.await(job.id(), WAIT).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(healthy.require(job.id()).workerId()).isEqualTo(healthy.worker().orElseThrow().id());
    }

    @Test
    void symlinksInOutputsAreNotFollowed() {
        Ccc ccc = ccc();
        Job job = ccc.run(sh("ln -s /etc/passwd /outputs/leak; ln -s / /outputs/root; echo ok > /outputs/real.txt").build(), WAIT);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.outputs()).extracting(OutputFile::path).containsExactly("real.txt");
    }

    @Test
    void anIdleWorkerDoesNotBusyPoll() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Queue counting = new CountingQueue(queue, polls);
        String id = "tck-idle-" + UUID.randomUUID().toString().substring(0, 8);
        workerIds.add(id);
        Ccc ccc = Ccc.builder().queue(counting).jobStore(store).storage(storage).containerRunner(runner)
                .workerConfig(WorkerConfig.defaults().withId(id).withPollWait(Duration.ofSeconds(1))).build();
        opened.add(ccc);
        Thread.sleep(500);
        int before = polls.get();
        Thread.sleep(3000);
        int during = polls.get() - before;
        LOG.info("idle worker: {} polls in 3 s", during);
        // one blocking poll per second of poll-wait; a spinning loop would make thousands
        assertThat(during).isLessThanOrEqualTo(5);
    }

    /** Counts polls; everything else goes straight through. */
    private record CountingQueue(Queue delegate, AtomicInteger polls) implements Queue {
        @Override public void offer(QueueEntry entry) { delegate.offer(entry); }
        @Override public Optional<Lease> poll(Duration wait, Duration leaseTime) throws InterruptedException {
            polls.incrementAndGet();
            return delegate.poll(wait, leaseTime);
        }
        @Override public Lease renew(Lease lease, Duration leaseTime) { return delegate.renew(lease, leaseTime); }
        @Override public void ack(Lease lease) { delegate.ack(lease); }
        @Override public void release(Lease lease, Duration delay) { delegate.release(lease, delay); }
        @Override public boolean remove(JobId jobId) { return delegate.remove(jobId); }
        @Override public int requeueExpired() { return delegate.requeueExpired(); }
        @Override public QueueStats stats() { return delegate.stats(); }
        @Override public void close() { }
    }
}

package io.ccc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.Ccc;
import io.ccc.ConcurrentUpdateException;
import io.ccc.Job;
import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.Phase;
import io.ccc.docker.DockerContainerRunner;
import io.ccc.embedded.LocalStorage;
import io.ccc.engine.Worker;
import io.ccc.engine.WorkerConfig;
import io.ccc.spi.Lease;
import io.ccc.spi.LeaseLostException;
import io.ccc.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several worker processes on one Redis: jobs finish exactly once, even when a worker is SIGKILLed. */
@Timeout(600)
class RedisFleetTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisFleetTest.class);
    private String prefix;
    private Path storageDir;
    private final List<WorkerProcess> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        prefix = RedisTestSupport.newPrefix();
        storageDir = Files.createTempDirectory("ccc-fleet");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (WorkerProcess p : processes) {
            p.close();
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        RedisTestSupport.deleteAll(prefix);
    }

    private WorkerProcess startWorker(int slots, String leaseTime) throws Exception {
        Path log = Path.of("target", "worker-" + prefix + "-" + processes.size() + ".log");
        WorkerProcess p = new WorkerProcess(WorkerProcess.env(RedisTestSupport.uri(), prefix, storageDir.toFile(), slots, leaseTime), log);
        processes.add(p);
        return p;
    }

    /** A client with no worker: submits and watches, never touches the engine. */
    private Ccc client() {
        RedisQueue queue = new RedisQueue(RedisTestSupport.config(prefix));
        RedisJobStore store = new RedisJobStore(RedisTestSupport.config(prefix));
        Storage storage = new LocalStorage(storageDir);
        closeables.add(queue);
        closeables.add(store);
        Ccc ccc = Ccc.builder().queue(queue).jobStore(store).storage(storage).worker(false).build();
        closeables.add(ccc);
        return ccc;
    }

    private static void eventually(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void twoWorkerProcessesFinishFiveHundredJobsExactlyOnce() throws Exception {
        Ccc ccc = client();
        Map<JobId, AtomicInteger> terminalEvents = new ConcurrentHashMap<>();
        ccc.subscribe(e -> {
            if (e.state().isTerminal()) {
                terminalEvents.computeIfAbsent(e.jobId(), k -> new AtomicInteger()).incrementAndGet();
            }
        });
        startWorker(2, "10s");
        startWorker(2, "10s");
        int n = 500;
        List<JobId> ids = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 0; i < n; i++) {
            ids.add(ccc.submit(JobSpec.builder("local/busybox:1").command("true").kind(i % 10 == 0 ? JobKind.FAST : JobKind.STANDARD)
                    .build()).id());
        }
        List<Job> jobs = new ArrayList<>();
        for (JobId id : ids) {
            jobs.add(ccc.await(id, Duration.ofMinutes(8)));
        }
        Duration took = Duration.between(start, Instant.now());
        LOG.info("{} jobs through 2 worker processes in {} s", n, took.toSeconds());
        assertThat(jobs).allSatisfy(j -> {
            assertThat(j.state()).as("job %s", j.id()).isEqualTo(JobState.SUCCEEDED);
            assertThat(j.attempt()).isGreaterThanOrEqualTo(1);
        });
        Map<String, Long> perWorker = jobs.stream().collect(Collectors.groupingBy(Job::workerId, Collectors.counting()));
        LOG.info("jobs per worker: {}", perWorker);
        assertThat(perWorker).as("both processes worked").hasSize(2);
        Thread.sleep(1000); // let late events (there must be none) arrive
        assertThat(terminalEvents).hasSize(n);
        assertThat(terminalEvents.values()).as("one final result per job").allMatch(c -> c.get() == 1);
        assertThat(ccc.queue().stats().ready()).isZero();
        assertThat(ccc.jobStore().stats().finished().get(JobState.SUCCEEDED)).isEqualTo(n);
    }

    @Test
    void aKilledWorkersJobIsFinishedByAnotherAndItsLateWritesAreRefused() throws Exception {
        Ccc ccc = client();
        WorkerProcess doomed = startWorker(1, "2s");
        Job job = ccc.submit(JobSpec.builder("local/busybox:1").command("sh", "-c", "sleep 4; echo $CCC_ATTEMPT > /outputs/attempt.txt").build());
        eventually("the job to run in the doomed worker", Duration.ofSeconds(60), () -> ccc.require(job.id()).phase() == Phase.RUNNING);
        Job seenRunning = ccc.require(job.id());
        String deadWorker = seenRunning.workerId();
        assertThat(deadWorker).contains("-" + doomed.pid() + "-");
        doomed.kill();
        LOG.info("killed worker {} (pid {}) while it ran job {}", deadWorker, doomed.pid(), job.id());

        // a survivor in this JVM; its start also clears the dead worker's container
        DockerContainerRunner runner = DockerContainerRunner.create();
        closeables.add(runner);
        Ccc survivor = Ccc.builder().queue(ccc.queue()).jobStore(ccc.jobStore()).storage(ccc.storage()).containerRunner(runner)
                .workerConfig(WorkerConfig.defaults().withSlots(1).withLeaseTime(Duration.ofSeconds(5))).build();
        closeables.add(survivor);
        Job done = ccc.await(job.id(), Duration.ofMinutes(2));
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.workerId()).isEqualTo(survivor.worker().orElseThrow().id());
        try (var in = ccc.openOutput(job.id(), "attempt.txt")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("2\n");
        }
        // the dead attempt's late writes: its version is stale and its lease token superseded
        assertThatThrownBy(() -> ccc.jobStore().update(seenRunning.toBuilder().state(JobState.FAILED).exitCode(1).build()))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThatThrownBy(() -> ccc.queue().ack(new Lease(job.id(), JobKind.STANDARD, 0, 1, Instant.now())))
                .isInstanceOf(LeaseLostException.class);
        assertThat(ccc.require(job.id())).isEqualTo(done);
        eventually("the dead worker's container to be removed", Duration.ofSeconds(30),
                () -> runner.containers(Map.of(Worker.LABEL_WORKER, deadWorker)).isEmpty());
    }

    @Test
    void eventsFromOneProcessReachAnother() throws Exception {
        Ccc a = client();
        Ccc b = client();
        List<JobEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.subscribe(seen::add);
        Job job = a.submit(JobSpec.builder("local/busybox:1").command("true").build());
        a.cancel(job.id());
        eventually("both events at the other client", Duration.ofSeconds(10), () -> seen.size() >= 2);
        assertThat(seen).extracting(JobEvent::state).containsExactly(JobState.QUEUED, JobState.CANCELLED);
    }
}

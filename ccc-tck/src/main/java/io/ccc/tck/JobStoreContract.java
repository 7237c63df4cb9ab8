package io.ccc.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.CccException;
import io.ccc.ConcurrentUpdateException;
import io.ccc.Input;
import io.ccc.Job;
import io.ccc.JobError;
import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobNotFoundException;
import io.ccc.JobQuery;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.OutputFile;
import io.ccc.Page;
import io.ccc.Phase;
import io.ccc.spi.JobStore;
import io.ccc.spi.WorkerInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract of {@link JobStore}. A backend's test extends this and returns a fresh, empty store. */
@Timeout(60)
public abstract class JobStoreContract {
    protected JobStore store;
    /** A label unique to this test, so a store shared between tests still lists only this test's jobs. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract JobStore createStore();

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Job newJob(JobKind kind, Map<String, String> labels) {
        JobSpec spec = JobSpec.builder("local/busybox:1").command("true").kind(kind).labels(labels).label("run", run)
                .input(Input.text("a.txt", "hello")).build();
        return Job.queued(JobId.newId(), spec, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private Job newJob() {
        return newJob(JobKind.STANDARD, Map.of());
    }

    private JobQuery mine() {
        return JobQuery.all().withLabels(Map.of("run", run));
    }

    @Test
    void createThenGetRoundTripsEveryField() {
        Job created = store.create(newJob());
        assertThat(created.version()).isEqualTo(1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job running = store.update(created.toBuilder().state(JobState.RUNNING).attempt(1).workerId("w1").startedAt(now)
                .enterPhase(Phase.PULLING_IMAGE, now).build());
        Job done = store.update(running.toBuilder().state(JobState.SUCCEEDED).exitCode(0).endPhase(now.plusMillis(5))
                .finishedAt(now.plusMillis(5)).error(new JobError("X", "y"))
                .outputs(List.of(OutputFile.stored("out/a.bin", 3, "jobs/x/a.bin"), OutputFile.inline("b", new byte[] {1, 2}, false)))
                .stdout(OutputFile.inline("stdout", "hi".getBytes(StandardCharsets.UTF_8), true)).build());
        assertThat(done.version()).isEqualTo(3);
        assertThat(store.get(done.id())).contains(done);
    }

    @Test
    void getOfUnknownIdIsEmpty() {
        assertThat(store.get(JobId.newId())).isEmpty();
    }

    @Test
    void createTwiceFails() {
        Job job = store.create(newJob());
        assertThatThrownBy(() -> store.create(job.withVersion(0))).isInstanceOf(CccException.class);
    }

    @Test
    void updateIsCompareAndSet() {
        Job v1 = store.create(newJob());
        Job v2 = store.update(v1.toBuilder().state(JobState.RUNNING).attempt(1).build());
        assertThat(v2.version()).isEqualTo(2);
        // a writer still holding v1 loses
        assertThatThrownBy(() -> store.update(v1.toBuilder().state(JobState.CANCELLED).build()))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.get(v1.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void updateOfUnknownJobFails() {
        Job ghost = newJob().withVersion(1);
        assertThatThrownBy(() -> store.update(ghost)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void deleteRemoves() {
        Job job = store.create(newJob());
        assertThat(store.delete(job.id())).isTrue();
        assertThat(store.get(job.id())).isEmpty();
        assertThat(store.delete(job.id())).isFalse();
    }

    @Test
    void listIsNewestFirstAndFilters() {
        Job a = store.create(newJob(JobKind.STANDARD, Map.of("team", "red")));
        Job b = store.create(newJob(JobKind.FAST, Map.of("team", "blue")));
        Job c = store.create(newJob(JobKind.STANDARD, Map.of("team", "red")));
        store.update(c.toBuilder().state(JobState.RUNNING).attempt(1).build());

        assertThat(ids(store.list(mine()))).containsExactly(c.id(), b.id(), a.id());
        assertThat(ids(store.list(mine().withStates(Set.of(JobState.QUEUED))))).containsExactly(b.id(), a.id());
        assertThat(ids(store.list(mine().withKind(JobKind.FAST)))).containsExactly(b.id());
        assertThat(ids(store.list(mine().withLabels(Map.of("run", run, "team", "red"))))).containsExactly(c.id(), a.id());
        assertThat(ids(store.list(mine().withSince(b.createdAt())))).contains(c.id(), b.id());
        assertThat(ids(store.list(mine().withSince(Instant.now().plusSeconds(60))))).isEmpty();
    }

    @Test
    void pagesCoverEveryJobOnce() {
        List<JobId> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(store.create(newJob()).id());
        }
        List<JobId> seen = new ArrayList<>();
        JobQuery q = mine().withLimit(7);
        int pages = 0;
        while (true) {
            Page<Job> page = store.list(q);
            pages++;
            seen.addAll(ids(page));
            if (page.nextPageToken() == null) {
                break;
            }
            q = q.withPageToken(page.nextPageToken());
        }
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(created));
        assertThat(seen).isSortedAccordingTo((x, y) -> y.compareTo(x));
    }

    @Test
    void everyChangeIsPublishedInOrder() throws Exception {
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        Job job = newJob();
        try (JobStore.Subscription ignored = store.subscribe(e -> {
            if (e.jobId().equals(job.id())) {
                events.add(e);
                if (e.state().isTerminal()) {
                    finished.countDown();
                }
            }
        })) {
            Job v = store.create(job);
            v = store.update(v.toBuilder().state(JobState.RUNNING).attempt(1).enterPhase(Phase.PULLING_IMAGE, Instant.now()).build());
            v = store.update(v.toBuilder().enterPhase(Phase.RUNNING, Instant.now()).build());
            store.update(v.toBuilder().state(JobState.SUCCEEDED).build());
            assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(events).extracting(JobEvent::state)
                .containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.RUNNING, JobState.SUCCEEDED);
        assertThat(events).extracting(JobEvent::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events.get(2).phase()).isEqualTo(Phase.RUNNING);
    }

    @Test
    void aClosedSubscriptionGetsNothingMore() throws Exception {
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        JobStore.Subscription sub = store.subscribe(e -> {
            events.add(e);
            first.countDown();
        });
        Job job = store.create(newJob());
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        sub.close();
        int before = events.size();
        store.update(job.toBuilder().state(JobState.CANCELLED).build());
        // a second, open subscription proves the update was published
        CountDownLatch seen = new CountDownLatch(1);
        try (JobStore.Subscription other = store.subscribe(e -> seen.countDown())) {
            store.create(newJob());
            assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(events).hasSize(before);
    }

    @Test
    void heartbeatsExpire() throws Exception {
        String id = "w-" + run;
        store.heartbeat(new WorkerInfo(id, "host", 4, 1, true, "ok", List.of("j1"), Instant.now(), Instant.now(), null, "i-123"),
                Duration.ofMillis(1500));
        assertThat(store.workers()).filteredOn(w -> w.id().equals(id)).singleElement()
                .satisfies(w -> {
                    assertThat(w.capacity()).isEqualTo(4);
                    assertThat(w.runningJobs()).containsExactly("j1");
                    assertThat(w.instanceId()).isEqualTo("i-123");
                });
        Thread.sleep(2500);
        assertThat(store.workers()).noneMatch(w -> w.id().equals(id));
    }

    @Test
    void removeWorkerForgetsIt() {
        String id = "w2-" + run;
        store.heartbeat(new WorkerInfo(id, "host", 1, 0, true, "ok", List.of(), Instant.now(), Instant.now(), null, null), Duration.ofMinutes(1));
        store.removeWorker(id);
        assertThat(store.workers()).noneMatch(w -> w.id().equals(id));
    }

    @Test
    void statsCountSubmittedAndFinished() {
        var before = store.stats();
        Job job = store.create(newJob());
        Instant start = Instant.now();
        job = store.update(job.toBuilder().state(JobState.RUNNING).attempt(1).startedAt(start).build());
        store.update(job.toBuilder().state(JobState.FAILED).exitCode(3).finishedAt(start.plusSeconds(2)).build());
        var after = store.stats();
        assertThat(after.submitted() - before.submitted()).isEqualTo(1);
        assertThat(after.started() - before.started()).isEqualTo(1);
        assertThat(after.finished().getOrDefault(JobState.FAILED, 0L) - before.finished().getOrDefault(JobState.FAILED, 0L)).isEqualTo(1);
        assertThat(after.runTime().minus(before.runTime())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void liveLogsAppendAndReadFromAnOffset() {
        Job job = store.create(newJob());
        byte[] binary = {0, (byte) 0xff, (byte) 0xc3, 10};
        store.appendLog(job.id(), "stdout", "line 1\n".getBytes(StandardCharsets.UTF_8));
        store.appendLog(job.id(), "stdout", binary);
        store.appendLog(job.id(), "stderr", "oops\n".getBytes(StandardCharsets.UTF_8));
        assertThat(store.readLog(job.id(), "stdout", 0, 1000)).hasSize(11).endsWith(binary);
        assertThat(store.readLog(job.id(), "stdout", 7, 2)).containsExactly(0, (byte) 0xff);
        assertThat(store.readLog(job.id(), "stdout", 11, 100)).isEmpty();
        assertThat(new String(store.readLog(job.id(), "stderr", 0, 100), StandardCharsets.UTF_8)).isEqualTo("oops\n");
        assertThat(store.readLog(JobId.newId(), "stdout", 0, 100)).isEmpty();
    }

    @Test
    void oneLeaderAtATime() throws Exception {
        String role = "role-" + run;
        assertThat(store.lead(role, "a", Duration.ofMillis(800))).isTrue();
        assertThat(store.lead(role, "b", Duration.ofMillis(800))).isFalse();
        assertThat(store.lead(role, "a", Duration.ofMillis(800))).as("renewed").isTrue();
        Thread.sleep(1200);
        assertThat(store.lead(role, "b", Duration.ofMillis(800))).as("a stopped renewing").isTrue();
        assertThat(store.lead(role, "a", Duration.ofMillis(800))).isFalse();
    }

    private static List<JobId> ids(Page<Job> page) {
        return page.items().stream().map(Job::id).toList();
    }
}

package io.ccc.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.CccException;
import io.ccc.ConcurrentUpdateException;
import io.ccc.Job;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.spi.JobStore;
import io.ccc.spi.Lease;
import io.ccc.spi.LeaseLostException;
import io.ccc.spi.Queue;
import io.ccc.spi.Queue.QueueEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract of {@link Queue}. A backend's test extends this and returns a fresh, empty queue. */
@Timeout(60)
public abstract class QueueContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(50);

    protected Queue queue;

    protected JobStore store;

    /** A new, empty queue (isolated from other tests, e.g. by a unique key prefix). */
    protected abstract Queue createQueue();

    /** A job store for the steps that touch both ({@link Queue#enqueue}, claim, complete): the backend's own if it has one. */
    protected abstract JobStore createStore();

    @BeforeEach
    void openQueue() {
        queue = createQueue();
        store = createStore();
    }

    @AfterEach
    void closeQueue() {
        queue.close();
        store.close();
    }

    private static final JobSpec SPEC = JobSpec.builder("local/busybox:1").command("true").build();

    private Job enqueue() {
        return queue.enqueue(store, Job.queued(JobId.newId(), SPEC, Instant.now()));
    }

    private static Job running(Queue.Claim c) {
        Instant now = Instant.now();
        return c.job().toBuilder().state(JobState.RUNNING).attempt(c.lease().token()).workerId("w").startedAt(now).updatedAt(now).build();
    }

    private static Job succeeded(Job running) {
        Instant now = Instant.now();
        return running.toBuilder().state(JobState.SUCCEEDED).exitCode(0).finishedAt(now).updatedAt(now).build();
    }

    @Test
    void enqueueStoresTheJobAndQueuesIt() throws Exception {
        Job job = enqueue();
        assertThat(store.get(job.id())).contains(job);
        assertThat(take().jobId()).isEqualTo(job.id());
        assertThatThrownBy(() -> queue.enqueue(store, job.withVersion(0))).isInstanceOfSatisfying(CccException.class,
                e -> assertThat(e.code()).isEqualTo("JOB_EXISTS"));
        assertThat(queue.stats().ready()).as("a refused enqueue queues nothing").isZero();
    }

    @Test
    void claimLeasesUpToMaxInOrderWithTheirJobs() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(enqueue());
        }
        List<Queue.Claim> first = queue.claim(store, 3, Duration.ofSeconds(5), LEASE);
        assertThat(first).extracting(Queue.Claim::job).containsExactlyElementsOf(jobs.subList(0, 3));
        assertThat(first).allSatisfy(c -> assertThat(c.lease().token()).isEqualTo(1));
        List<Queue.Claim> rest = queue.claim(store, 10, Duration.ofSeconds(5), LEASE);
        assertThat(rest).extracting(c -> c.lease().jobId()).containsExactly(jobs.get(3).id(), jobs.get(4).id());
        assertThat(queue.claim(store, 10, SHORT, LEASE)).isEmpty();
    }

    @Test
    void aClaimOfADeletedJobComesWithoutTheJob() throws Exception {
        Job job = enqueue();
        store.delete(job.id());
        List<Queue.Claim> claims = queue.claim(store, 1, Duration.ofSeconds(5), LEASE);
        assertThat(claims).singleElement().satisfies(c -> {
            assertThat(c.lease().jobId()).isEqualTo(job.id());
            assertThat(c.job()).isNull();
        });
    }

    @Test
    void completeWritesTheJobAndRemovesTheEntry() throws Exception {
        enqueue();
        Queue.Claim c = queue.claim(store, 1, Duration.ofSeconds(5), LEASE).get(0);
        Job started = store.update(running(c));
        Job done = queue.complete(store, c.lease(), succeeded(started));
        assertThat(done.version()).isEqualTo(started.version() + 1);
        assertThat(store.get(done.id())).contains(done);
        assertThat(queue.stats().lanes().get(JobKind.STANDARD).leased()).isZero();
        assertThatThrownBy(() -> queue.ack(c.lease())).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void completeWithASupersededLeaseWritesNothing() throws Exception {
        Job job = enqueue();
        Queue.Claim first = queue.claim(store, 1, Duration.ofSeconds(5), Duration.ofMillis(200)).get(0);
        Job started = store.update(running(first));
        Thread.sleep(400);
        queue.requeueExpired();
        Queue.Claim second = queue.claim(store, 1, Duration.ofSeconds(5), LEASE).get(0);
        assertThat(second.lease().token()).isEqualTo(2);
        assertThatThrownBy(() -> queue.complete(store, first.lease(), succeeded(started))).isInstanceOf(LeaseLostException.class);
        assertThat(store.get(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(queue.stats().lanes().get(JobKind.STANDARD).leased()).as("the new lease stays").isEqualTo(1);
    }

    @Test
    void completeOverAStaleVersionKeepsTheLease() throws Exception {
        enqueue();
        Queue.Claim c = queue.claim(store, 1, Duration.ofSeconds(5), LEASE).get(0);
        Job started = store.update(running(c));
        store.update(started.toBuilder().updatedAt(Instant.now()).build()); // someone else wrote meanwhile
        assertThatThrownBy(() -> queue.complete(store, c.lease(), succeeded(started))).isInstanceOf(ConcurrentUpdateException.class);
        queue.ack(c.lease()); // still held
    }

    private static QueueEntry entry(JobKind lane, int priority) {
        return new QueueEntry(JobId.newId(), lane, priority);
    }

    private Lease take() throws InterruptedException {
        return queue.poll(Duration.ofSeconds(5), LEASE).orElseThrow(() -> new AssertionError("queue gave nothing"));
    }

    @Test
    void emptyQueuePollsNothingAfterTheWait() throws Exception {
        assertThat(queue.poll(SHORT, LEASE)).isEmpty();
    }

    @Test
    void sameLaneAndPriorityIsFifo() throws Exception {
        List<JobId> offered = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            QueueEntry e = entry(JobKind.STANDARD, 0);
            offered.add(e.jobId());
            queue.offer(e);
        }
        List<JobId> taken = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            taken.add(take().jobId());
        }
        assertThat(taken).containsExactlyElementsOf(offered);
    }

    @Test
    void fastLaneBeforeStandardThenPriorityThenFifo() throws Exception {
        QueueEntry low = entry(JobKind.STANDARD, 0);
        QueueEntry high = entry(JobKind.STANDARD, 5);
        QueueEntry low2 = entry(JobKind.STANDARD, 0);
        QueueEntry fast = entry(JobKind.FAST, -10);
        queue.offer(low);
        queue.offer(high);
        queue.offer(low2);
        queue.offer(fast);
        assertThat(List.of(take().jobId(), take().jobId(), take().jobId(), take().jobId()))
                .containsExactly(fast.jobId(), high.jobId(), low.jobId(), low2.jobId());
    }

    @Test
    void offerIsIdempotent() throws Exception {
        QueueEntry e = entry(JobKind.STANDARD, 0);
        queue.offer(e);
        queue.offer(e);
        assertThat(take().jobId()).isEqualTo(e.jobId());
        assertThat(queue.poll(SHORT, LEASE)).isEmpty();
    }

    @Test
    void blockingPollWakesOnOffer() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Lease>> polled = pool.submit(() -> queue.poll(Duration.ofSeconds(20), LEASE));
            Thread.sleep(200);
            assertThat(polled).isNotDone();
            QueueEntry e = entry(JobKind.STANDARD, 0);
            queue.offer(e);
            assertThat(polled.get(10, TimeUnit.SECONDS)).map(Lease::jobId).contains(e.jobId());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachEntryGoesToOnePollerOnly() throws Exception {
        int n = 200;
        for (int i = 0; i < n; i++) {
            queue.offer(entry(JobKind.STANDARD, 0));
        }
        Set<JobId> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                try {
                    Optional<Lease> l;
                    while ((l = queue.poll(Duration.ofMillis(300), LEASE)).isPresent()) {
                        if (!seen.add(l.get().jobId())) {
                            duplicates.incrementAndGet();
                        }
                        queue.ack(l.get());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        pool.shutdownNow();
        assertThat(duplicates).hasValue(0);
        assertThat(seen).hasSize(n);
    }

    @Test
    void ackRemovesTheEntry() throws Exception {
        queue.offer(entry(JobKind.STANDARD, 0));
        queue.ack(take());
        assertThat(queue.poll(SHORT, LEASE)).isEmpty();
        assertThat(queue.stats().ready()).isZero();
    }

    @Test
    void expiredLeaseReturnsWithAHigherToken() throws Exception {
        QueueEntry e = entry(JobKind.STANDARD, 0);
        queue.offer(e);
        Lease first = queue.poll(Duration.ofSeconds(5), Duration.ofMillis(300)).orElseThrow();
        assertThat(first.token()).isEqualTo(1);
        Thread.sleep(600);
        queue.requeueExpired();
        Lease second = take();
        assertThat(second.jobId()).isEqualTo(e.jobId());
        assertThat(second.token()).isGreaterThan(first.token());
        // the first holder is fenced off
        assertThatThrownBy(() -> queue.ack(first)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.renew(first, LEASE)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.release(first, Duration.ZERO)).isInstanceOf(LeaseLostException.class);
        queue.ack(second);
    }

    @Test
    void renewKeepsTheLease() throws Exception {
        queue.offer(entry(JobKind.STANDARD, 0));
        Lease lease = queue.poll(Duration.ofSeconds(5), Duration.ofMillis(400)).orElseThrow();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(150);
            lease = queue.renew(lease, Duration.ofMillis(400));
        }
        queue.requeueExpired();
        assertThat(queue.poll(SHORT, LEASE)).isEmpty();
        queue.ack(lease);
    }

    @Test
    void renewAfterExpiryFails() throws Exception {
        queue.offer(entry(JobKind.STANDARD, 0));
        Lease lease = queue.poll(Duration.ofSeconds(5), Duration.ofMillis(300)).orElseThrow();
        Thread.sleep(600);
        assertThatThrownBy(() -> queue.renew(lease, LEASE)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void releaseWithDelayHidesTheEntryUntilTheDelayEnds() throws Exception {
        QueueEntry e = entry(JobKind.STANDARD, 0);
        queue.offer(e);
        Lease lease = take();
        queue.release(lease, Duration.ofMillis(700));
        assertThat(queue.poll(Duration.ofMillis(100), LEASE)).isEmpty();
        assertThat(queue.stats().lanes().get(JobKind.STANDARD).delayed()).isEqualTo(1);
        Optional<Lease> later = queue.poll(Duration.ofSeconds(10), LEASE);
        if (later.isEmpty()) {
            queue.requeueExpired();
            later = queue.poll(Duration.ofSeconds(2), LEASE);
        }
        assertThat(later).map(Lease::jobId).contains(e.jobId());
        assertThat(later.get().token()).isEqualTo(lease.token() + 1);
    }

    @Test
    void releaseWithoutDelayIsReadyAtOnce() throws Exception {
        QueueEntry e = entry(JobKind.STANDARD, 0);
        queue.offer(e);
        queue.release(take(), Duration.ZERO);
        assertThat(take().jobId()).isEqualTo(e.jobId());
    }

    @Test
    void removeTakesAnEntryOutWhateverItsState() throws Exception {
        QueueEntry ready = entry(JobKind.STANDARD, 0);
        QueueEntry leased = entry(JobKind.FAST, 0);
        queue.offer(ready);
        queue.offer(leased);
        Lease lease = take();
        assertThat(lease.jobId()).isEqualTo(leased.jobId());
        assertThat(queue.remove(ready.jobId())).isTrue();
        assertThat(queue.remove(leased.jobId())).isTrue();
        assertThat(queue.remove(leased.jobId())).isFalse();
        assertThat(queue.poll(SHORT, LEASE)).isEmpty();
        assertThatThrownBy(() -> queue.ack(lease)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void statsCountPerLane() throws Exception {
        queue.offer(entry(JobKind.FAST, 0));
        queue.offer(entry(JobKind.STANDARD, 0));
        queue.offer(entry(JobKind.STANDARD, 0));
        take(); // the FAST one
        var stats = queue.stats();
        assertThat(stats.lanes().get(JobKind.FAST).leased()).isEqualTo(1);
        assertThat(stats.lanes().get(JobKind.FAST).ready()).isZero();
        assertThat(stats.lanes().get(JobKind.STANDARD).ready()).isEqualTo(2);
        assertThat(stats.lanes().get(JobKind.STANDARD).oldestReady()).isNotNull();
    }
}

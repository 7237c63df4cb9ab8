package io.ccc.spi;

import io.ccc.CccException;
import io.ccc.Job;
import io.ccc.JobError;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The work queue. Lanes are served FAST before STANDARD, then by priority (higher first), then FIFO.
 * Delivery is at-least-once through leases: a polled entry is leased until {@link #ack}, {@link #release}
 * or expiry, when it returns to the queue. Each delivery carries a larger fencing token (the attempt), and
 * every call with a lease fails with {@link LeaseLostException} once another delivery has superseded it.
 *
 * <p>{@link #enqueue}, {@link #claim} and {@link #complete} are the steps that touch the queue and the job
 * store together. Their defaults compose the single-purpose calls; a backend that holds both (Redis) does
 * each in one atomic round trip, which is what makes the worker's per-job cost small.
 */
public interface Queue extends AutoCloseable {

    /** Adds an entry. Offering an id already in the queue is a no-op (idempotent submit). */
    void offer(QueueEntry entry);

    /**
     * Takes the next ready entry, waiting up to {@code wait} for one without busy polling.
     *
     * @param leaseTime how long the lease lasts unless renewed
     */
    Optional<Lease> poll(Duration wait, Duration leaseTime) throws InterruptedException;

    /**
     * Creates the job in {@code store} and queues it. If queueing fails after the job was stored, the job is
     * marked ERROR (QUEUE_ERROR) so that it is not left QUEUED forever, and the failure is thrown.
     */
    default Job enqueue(JobStore store, Job job) {
        Job created = store.create(job);
        try {
            offer(new QueueEntry(job.id(), job.kind(), job.spec().priority()));
        } catch (RuntimeException e) {
            try {
                Instant now = Instant.now();
                store.update(created.toBuilder().state(JobState.ERROR)
                        .error(new JobError("QUEUE_ERROR", "could not queue the job: " + e.getMessage())).finishedAt(now).updatedAt(now).build());
            } catch (RuntimeException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
        return created;
    }

    /**
     * Leases up to {@code max} entries (waiting up to {@code wait} for the first) together with their jobs.
     * A claim without a job means the job was deleted, or its stored data could not be read (the backend logs
     * which); the caller acks it.
     */
    default List<Claim> claim(JobStore store, int max, Duration wait, Duration leaseTime) throws InterruptedException {
        List<Claim> claims = new ArrayList<>();
        Optional<Lease> lease = poll(wait, leaseTime);
        while (lease.isPresent()) {
            Optional<Job> job;
            try {
                job = store.get(lease.get().jobId());
            } catch (CccException e) {
                if (e.retryable()) {
                    throw e; // the store is down: the leases expire and the jobs come back
                }
                LoggerFactory.getLogger(Queue.class).error("job {}: cannot be read ({}); dropped from the queue",
                        lease.get().jobId(), e.getMessage());
                job = Optional.empty();
            }
            claims.add(new Claim(lease.get(), job.orElse(null)));
            lease = claims.size() < max ? poll(Duration.ZERO, leaseTime) : Optional.empty();
        }
        return claims;
    }

    /**
     * The last write of an attempt and its ack, only while {@code lease} is held: a compare-and-set of
     * {@code job} like {@link JobStore#update}, then the entry is removed. Throws {@link LeaseLostException}
     * (nothing written) if another delivery superseded the lease.
     */
    default Job complete(JobStore store, Lease lease, Job job) {
        renew(lease, FENCE); // the fence: fails if the lease is gone; the entry is removed right after anyway
        Job stored = store.update(job);
        try {
            ack(lease);
        } catch (LeaseLostException e) {
            // expired between the write and the ack: the next delivery finds the job finished and acks it
        }
        return stored;
    }

    /** How long {@link #complete}'s default holds the lease between its fence and its ack. */
    Duration FENCE = Duration.ofMinutes(1);

    /** Extends the lease to now + {@code leaseTime}. */
    Lease renew(Lease lease, Duration leaseTime);

    /** Done with the entry: removes it. */
    void ack(Lease lease);

    /** Gives the entry back, to be ready again after {@code delay} (zero: at once). */
    void release(Lease lease, Duration delay);

    /** Removes an entry whatever its state (e.g. a cancelled queued job). True if it was there. */
    boolean remove(JobId jobId);

    /** Moves entries whose lease expired back to ready; safe to call from many nodes. Returns how many. */
    int requeueExpired();

    /** Depth and oldest wait per lane. */
    QueueStats stats();

    @Override
    void close();

    /** A leased entry and its job as read in the same step; {@code job} is null if gone or unreadable. */
    record Claim(Lease lease, Job job) {
        public Claim {
            Objects.requireNonNull(lease, "lease");
        }
    }

    /** One queued job: its lane and priority. */
    record QueueEntry(JobId jobId, JobKind lane, int priority) {
        public QueueEntry {
            java.util.Objects.requireNonNull(jobId, "jobId");
            java.util.Objects.requireNonNull(lane, "lane");
        }
    }
}

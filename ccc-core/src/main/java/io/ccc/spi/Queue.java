package io.ccc.spi;

import io.ccc.JobId;
import io.ccc.JobKind;
import java.time.Duration;
import java.util.Optional;

/**
 * The work queue. Lanes are served FAST before STANDARD, then by priority (higher first), then FIFO.
 * Delivery is at-least-once through leases: a polled entry is leased until {@link #ack}, {@link #release}
 * or expiry, when it returns to the queue. Each delivery carries a larger fencing token (the attempt), and
 * every call with a lease fails with {@link LeaseLostException} once another delivery has superseded it.
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

    /** One queued job: its lane and priority. */
    record QueueEntry(JobId jobId, JobKind lane, int priority) {
        public QueueEntry {
            java.util.Objects.requireNonNull(jobId, "jobId");
            java.util.Objects.requireNonNull(lane, "lane");
        }
    }
}

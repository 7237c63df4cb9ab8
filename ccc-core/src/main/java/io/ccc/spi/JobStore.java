package io.ccc.spi;

import io.ccc.Job;
import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.JobQuery;
import io.ccc.Page;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where jobs live. Every write is a compare-and-set on {@link Job#version()}; every change is published as a
 * {@link JobEvent} to every subscriber, in order per job.
 */
public interface JobStore extends AutoCloseable {

    /** Stores a new job with version 1 and returns it. Fails if the id exists. */
    Job create(Job job);

    Optional<Job> get(JobId id);

    /**
     * Writes {@code job} if the stored version still equals {@code job.version()}; returns it with the next
     * version. Throws {@link io.ccc.ConcurrentUpdateException} otherwise, {@link io.ccc.JobNotFoundException} if gone.
     */
    Job update(Job job);

    /** Jobs matching the query, newest first, one page at a time. */
    Page<Job> list(JobQuery query);

    boolean delete(JobId id);

    /** Delivers every job change to {@code listener} until the subscription is closed. */
    Subscription subscribe(Consumer<JobEvent> listener);

    /** Records that a worker is alive; it disappears from {@link #workers()} after {@code ttl} without another. */
    void heartbeat(WorkerInfo worker, Duration ttl);

    void removeWorker(String workerId);

    /** Workers whose last heartbeat has not expired. */
    List<WorkerInfo> workers();

    /**
     * Appends to a running job's live log ({@code stream} is "stdout" or "stderr") so that followers can read
     * it while the job runs, wherever it runs. Capped at {@link #LIVE_LOG_CAP} bytes (the rest is in the
     * job's final log); dropped soon after the job finishes.
     */
    void appendLog(JobId id, String stream, byte[] chunk);

    /** Up to {@code max} bytes of the live log from {@code offset}; empty at its end or when there is none. */
    byte[] readLog(JobId id, String stream, long offset, int max);

    /** Most bytes of one live log kept; followers read the rest from the final log once the job is done. */
    long LIVE_LOG_CAP = 8L << 20;

    /**
     * Takes or keeps the lease on a role (e.g. "scaler") for {@code ttl}: true if {@code holder} has it now.
     * One holder at a time across every process sharing the store; a holder that stops renewing loses it.
     */
    boolean lead(String role, String holder, Duration ttl);

    /** Counters since the store began. */
    JobStats stats();

    @Override
    void close();

    /** A live event subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

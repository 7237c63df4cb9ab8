package io.ccc.spi;

import io.ccc.JobId;
import io.ccc.JobKind;
import java.time.Instant;

/**
 * A delivery of a queued job to one worker. {@code token} grows with every delivery of the same job and is
 * the job's attempt number: the fencing token that keeps a worker that lost its lease from finishing the job.
 */
public record Lease(JobId jobId, JobKind lane, int priority, int token, Instant expiresAt) {
    public Lease withExpiry(Instant expiresAt) {
        return new Lease(jobId, lane, priority, token, expiresAt);
    }
}

package io.ccc;

/** A compare-and-set write lost: the stored job's version is not the one the writer read. */
public final class ConcurrentUpdateException extends CccException {
    private final JobId jobId;
    private final long expectedVersion;

    public ConcurrentUpdateException(JobId jobId, long expectedVersion) {
        super("CONCURRENT_UPDATE", "job " + jobId + " changed since version " + expectedVersion, true);
        this.jobId = jobId;
        this.expectedVersion = expectedVersion;
    }

    public JobId jobId() {
        return jobId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}

package io.ccc;

public final class JobNotFoundException extends CccException {
    private final JobId jobId;

    public JobNotFoundException(JobId jobId) {
        super("JOB_NOT_FOUND", "no job " + jobId, false);
        this.jobId = jobId;
    }

    public JobId jobId() {
        return jobId;
    }
}

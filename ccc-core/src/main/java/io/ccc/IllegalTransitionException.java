package io.ccc;

/** A state change the transition table in {@link JobState} does not allow. */
public final class IllegalTransitionException extends CccException {
    private final JobId jobId;
    private final JobState from;
    private final JobState to;

    public IllegalTransitionException(JobId jobId, JobState from, JobState to) {
        super("ILLEGAL_TRANSITION", "job " + jobId + " cannot go from " + from + " to " + to, false);
        this.jobId = jobId;
        this.from = from;
        this.to = to;
    }

    public JobId jobId() {
        return jobId;
    }

    public JobState from() {
        return from;
    }

    public JobState to() {
        return to;
    }
}

package io.ccc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One change of a job: published by the job store on create and on every update, in version order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(JobId jobId, JobState state, Phase phase, int attempt, long version, Instant time) {
    public static JobEvent of(Job job) {
        return new JobEvent(job.id(), job.state(), job.phase(), job.attempt(), job.version(), job.updatedAt());
    }
}

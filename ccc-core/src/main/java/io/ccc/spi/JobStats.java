package io.ccc.spi;

import io.ccc.Job;
import io.ccc.JobState;
import java.time.Duration;
import java.util.Map;

/**
 * Counters kept by the job store.
 *
 * @param finished   jobs that reached each terminal state
 * @param queueWait  sum of queue waits of jobs that started
 * @param runTime    sum of run times (start of attempt to end) of finished jobs
 */
public record JobStats(long submitted, Map<JobState, Long> finished, long started, Duration queueWait, Duration runTime) {
    public JobStats {
        finished = Map.copyOf(finished);
    }

    /**
     * How one job change moves the counters: an attempt started (with its queue wait), or the job finished
     * (with its run time). Every store counts with this, so the numbers mean the same everywhere.
     */
    public record Delta(boolean started, Duration queueWait, JobState finished, Duration runTime) {
        public static Delta of(Job before, Job after) {
            boolean started = after.startedAt() != null && !after.startedAt().equals(before.startedAt());
            Duration wait = started ? Duration.between(after.createdAt(), after.startedAt()) : Duration.ZERO;
            JobState finished = after.isTerminal() && !before.isTerminal() ? after.state() : null;
            Duration run = finished != null && after.startedAt() != null && after.finishedAt() != null
                    ? Duration.between(after.startedAt(), after.finishedAt()) : Duration.ZERO;
            return new Delta(started, wait, finished, run);
        }
    }
}

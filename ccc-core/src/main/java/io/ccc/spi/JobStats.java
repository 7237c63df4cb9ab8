package io.ccc.spi;

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
}

package io.ccc.spi;

import java.time.Instant;
import java.util.List;

/**
 * What a worker reports in its heartbeat.
 *
 * @param capacity   cpu slots in all
 * @param busySlots  slots held by running jobs
 * @param healthy    false when the engine is unreachable or the disk is over the threshold ({@code reason} says which)
 * @param lastJobFinishedAt when this worker last finished a job (null if never)
 * @param instanceId the cloud instance the worker runs on, when known (for scalers)
 */
public record WorkerInfo(String id, String host, int capacity, int busySlots, boolean healthy, String reason,
                         List<String> runningJobs, Instant startedAt, Instant lastHeartbeat, Instant lastJobFinishedAt,
                         String instanceId) {
    public WorkerInfo {
        runningJobs = runningJobs == null ? List.of() : List.copyOf(runningJobs);
    }
}

package io.ccc.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything the policy looks at, taken at one moment.
 *
 * @param readyJobs      jobs waiting in the queue (all lanes)
 * @param oldestWait     how long the next job in line has waited (zero if none)
 * @param desired        the fleet's current desired size (workers starting count, even before they heartbeat)
 * @param workers        the workers that report (heartbeat) or that the fleet knows about
 * @param lastScaleUp    when the fleet last grew (null if never)
 * @param lastScaleDown  when the fleet last shrank (null if never)
 */
public record ScalingSnapshot(Instant now, long readyJobs, Duration oldestWait, int desired, List<WorkerView> workers,
                              Instant lastScaleUp, Instant lastScaleDown) {
    public ScalingSnapshot {
        workers = List.copyOf(workers);
        oldestWait = oldestWait == null ? Duration.ZERO : oldestWait;
    }

    /**
     * One worker as the policy sees it.
     *
     * @param instanceId    what the scaler terminates (e.g. an EC2 instance id)
     * @param busySlots     slots running jobs now
     * @param idleSince     since when it has had no job (null when busy)
     * @param unhealthySince since when it has been unhealthy (null when healthy)
     */
    public record WorkerView(String instanceId, int capacity, int busySlots, Instant launchedAt, Instant idleSince,
                             Instant unhealthySince) {
        public boolean busy() {
            return busySlots > 0;
        }
    }
}

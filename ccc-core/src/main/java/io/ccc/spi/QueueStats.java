package io.ccc.spi;

import io.ccc.JobKind;
import java.time.Instant;
import java.util.Map;

/** Queue depth per lane. */
public record QueueStats(Map<JobKind, Lane> lanes) {
    public QueueStats {
        lanes = Map.copyOf(lanes);
    }

    /**
     * @param ready        entries waiting to be polled
     * @param leased       entries held by workers
     * @param delayed      entries waiting for their back-off to end
     * @param oldestReady  when the oldest ready entry was offered (null if none)
     */
    public record Lane(long ready, long leased, long delayed, Instant oldestReady) {
    }

    public long ready() {
        return lanes.values().stream().mapToLong(Lane::ready).sum();
    }
}

package io.ccc.spi;

import java.util.List;

/** Grows and shrinks the worker fleet. The decisions come from a pure scaling policy; this only acts. */
public interface Scaler extends AutoCloseable {

    /** Current fleet: desired/min/max and the instances. */
    Fleet fleet();

    void setDesiredCapacity(int desired);

    /**
     * Terminates one worker's instance. With {@code decrement} the fleet shrinks by one (an idle worker that
     * is no longer needed); without, a replacement starts (an unhealthy worker).
     */
    void terminate(String instanceId, boolean decrement);

    /** Marks an instance as busy (never chosen for scale-in) or idle again. */
    void protect(String instanceId, boolean busy);

    @Override
    void close();

    record Fleet(int desired, int min, int max, List<Instance> instances) {
        public Fleet {
            instances = List.copyOf(instances);
        }
    }

    /** @param launchedAt when the instance started, if the scaler knows (null otherwise) */
    record Instance(String id, boolean healthy, boolean protectedFromScaleIn, java.time.Instant launchedAt) {
    }
}

package io.ccc.spi;

import java.util.List;

/** Grows and shrinks the worker fleet. The decisions come from a pure scaling policy; this only acts. */
public interface Scaler extends AutoCloseable {

    /** Current fleet: desired/min/max and the instances. */
    Fleet fleet();

    void setDesiredCapacity(int desired);

    /** Terminates one worker's instance and lowers the desired capacity by one. */
    void terminate(String instanceId);

    /** Marks an instance as busy (never chosen for scale-in) or idle again. */
    void protect(String instanceId, boolean busy);

    @Override
    void close();

    record Fleet(int desired, int min, int max, List<Instance> instances) {
        public Fleet {
            instances = List.copyOf(instances);
        }
    }

    record Instance(String id, boolean healthy, boolean protectedFromScaleIn, java.time.Instant launchedAt) {
    }
}

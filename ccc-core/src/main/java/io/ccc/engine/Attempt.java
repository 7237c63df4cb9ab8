package io.ccc.engine;

import io.ccc.Job;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One delivery of one job to this worker, with what it needs to be stopped from outside. */
final class Attempt {
    private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);

    enum Abort { CANCELLED, LEASE_LOST, SHUTDOWN }

    private volatile Lease lease;
    private volatile Abort abort;
    private volatile String containerId;
    private volatile boolean done;
    volatile Job job;

    private final int slots;

    /**
     * @param job the job as claimed with the lease; null if it is gone or unreadable
     * @param slots the worker slots reserved for it
     */
    Attempt(Lease lease, Job job, int slots) {
        this.lease = lease;
        this.job = job;
        this.slots = slots;
    }

    int slots() {
        return slots;
    }

    String key() {
        return lease.jobId().value() + "#" + lease.token();
    }

    Lease lease() {
        return lease;
    }

    void setLease(Lease lease) {
        this.lease = lease;
    }

    int token() {
        return lease.token();
    }

    Abort aborted() {
        return abort;
    }

    boolean isDone() {
        return done;
    }

    void markDone() {
        done = true;
    }

    /** Records the container so an abort can kill it; kills at once if the abort came first. */
    void setContainer(String id, ContainerRunner runner) {
        containerId = id;
        if (abort != null) {
            killQuietly(runner);
        }
    }

    /** Stops the attempt from another thread: the first reason wins; the container (if any) is killed. */
    void abort(Abort reason, ContainerRunner runner) {
        synchronized (this) {
            if (abort != null || done) {
                return;
            }
            abort = reason;
        }
        Thread.ofVirtual().start(() -> killQuietly(runner));
    }

    /** Throws if the attempt was aborted; called between phases. */
    void check() {
        Abort a = abort;
        if (a != null) {
            throw new AbortedException(a);
        }
    }

    private void killQuietly(ContainerRunner runner) {
        String id = containerId;
        if (id != null) {
            try {
                runner.kill(id);
            } catch (RuntimeException e) {
                LOG.debug("kill of {} failed", id, e);
            }
        }
    }

    /** Unwinds an aborted attempt. */
    static final class AbortedException extends RuntimeException {
        final Abort reason;

        AbortedException(Abort reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }
}

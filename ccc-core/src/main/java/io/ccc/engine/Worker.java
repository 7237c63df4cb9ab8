package io.ccc.engine;

import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.JobState;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.EngineHealth;
import io.ccc.spi.JobStore;
import io.ccc.spi.Lease;
import io.ccc.spi.LeaseLostException;
import io.ccc.spi.Queue;
import io.ccc.spi.Storage;
import io.ccc.spi.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs off the queue and runs them in containers. One platform thread polls (blocking, only while a
 * slot is free and the engine is healthy); each attempt runs on a virtual thread; one scheduler renews
 * leases, sends heartbeats, requeues expired leases and re-checks health. Every write to a job is a
 * compare-and-set guarded by the attempt (fencing token), so an attempt that lost its lease changes nothing.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    public static final String LABEL_JOB = "io.ccc.job";
    public static final String LABEL_WORKER = "io.ccc.worker";
    public static final String LABEL_ATTEMPT = "io.ccc.attempt";

    private static final String HOST = hostName();

    private final WorkerConfig config;
    private final Queue queue;
    private final JobStore store;
    private final Storage storage;
    private final ContainerRunner runner;
    private final AttemptRunner attempts;
    private final Semaphore slots;
    // slots held by attempts; the poller also holds a permit while it waits, which is not "busy"
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, Attempt> active = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ccc-job-", 0).factory());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ccc-worker-timers");
        t.setDaemon(true);
        return t;
    });
    private final Object healthLock = new Object();
    private final Instant startedAt = Instant.now();
    private volatile boolean running;
    private volatile boolean healthy = true;
    private volatile String healthReason = "not checked yet";
    private volatile boolean renewalSuspended;
    private volatile Instant lastJobFinishedAt;
    private Thread pollThread;
    private JobStore.Subscription subscription;

    public Worker(WorkerConfig config, Queue queue, JobStore store, Storage storage, ContainerRunner runner) {
        this.config = config;
        this.queue = queue;
        this.store = store;
        this.storage = storage;
        this.runner = runner;
        this.slots = new Semaphore(config.slots());
        this.attempts = new AttemptRunner(this);
    }

    public String id() {
        return config.id();
    }

    WorkerConfig config() {
        return config;
    }

    Queue queue() {
        return queue;
    }

    JobStore store() {
        return store;
    }

    Storage storage() {
        return storage;
    }

    ContainerRunner runner() {
        return runner;
    }

    /** Starts polling. Idempotent. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        checkHealth();
        heartbeat();
        removeOrphans();
        subscription = store.subscribe(this::onEvent);
        long renewEvery = Math.max(100, config.leaseTime().toMillis() / 3);
        scheduler.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::heartbeat, config.heartbeatInterval().toMillis(), config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::requeueExpired, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::checkHealth, config.healthInterval().toMillis(), config.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
        long orphanEvery = config.heartbeatInterval().toMillis() * 12;
        scheduler.scheduleWithFixedDelay(this::removeOrphans, orphanEvery, orphanEvery, TimeUnit.MILLISECONDS);
        pollThread = Thread.ofPlatform().name("ccc-worker-poll").daemon().start(this::pollLoop);
        LOG.info("worker {} started: {} slots, lease {}", config.id(), config.slots(), config.leaseTime());
    }

    public boolean healthy() {
        return healthy;
    }

    public String healthReason() {
        return healthReason;
    }

    /** Slots held by running jobs. */
    public int busySlots() {
        return busy.get();
    }

    public Set<JobId> runningJobs() {
        Set<JobId> ids = ConcurrentHashMap.newKeySet();
        active.values().forEach(a -> ids.add(a.lease().jobId()));
        return ids;
    }

    /**
     * Stops renewing leases, as a stalled or partitioned worker would; for tests and drills only. The jobs
     * this worker holds go back to the queue when their leases expire, and this worker cannot complete them.
     */
    public void suspendLeaseRenewal() {
        renewalSuspended = true;
    }

    private void pollLoop() {
        long errorBackoff = 100;
        while (running) {
            try {
                if (!healthy) {
                    synchronized (healthLock) {
                        healthLock.wait(config.healthInterval().toMillis());
                    }
                    continue;
                }
                slots.acquire();
                // one round trip claims a job for every free slot (the backend reads the jobs in the same step)
                int taken = 1;
                while (slots.tryAcquire()) {
                    taken++;
                }
                List<Queue.Claim> claims;
                try {
                    claims = running ? queue.claim(store, taken, config.pollWait(), config.leaseTime()) : List.of();
                } catch (RuntimeException e) {
                    slots.release(taken);
                    throw e;
                }
                // a job reserves its slots before it starts, in claim order, so a big job is not starved
                int spare = taken - claims.size();
                for (int i = 0; i < claims.size(); i++) {
                    Queue.Claim claim = claims.get(i);
                    int need = claim.job() == null ? 1 : Math.min(config.slots(), claim.job().spec().resources().slots());
                    int fromSpare = Math.min(spare, need - 1);
                    spare -= fromSpare;
                    try {
                        slots.acquire(need - 1 - fromSpare);
                    } catch (InterruptedException e) {
                        slots.release(spare + fromSpare + claims.size() - i);
                        claims.subList(i, claims.size()).forEach(c -> releaseQuietly(c.lease()));
                        throw e;
                    }
                    Attempt attempt = new Attempt(claim.lease(), claim.job(), need);
                    busy.addAndGet(need);
                    active.put(attempt.key(), attempt);
                    executor.execute(() -> attempts.run(attempt));
                }
                slots.release(spare);
                errorBackoff = 100;
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("worker {}: poll failed, retrying in {} ms: {}", config.id(), errorBackoff, e.toString());
                sleepQuietly(errorBackoff / 2 + ThreadLocalRandom.current().nextLong(errorBackoff / 2 + 1));
                errorBackoff = Math.min(errorBackoff * 2, 10_000);
            }
        }
    }

    /** Called by the attempt when it is done with its lease and slots. */
    void finished(Attempt attempt) {
        active.remove(attempt.key());
        busy.addAndGet(-attempt.slots());
        slots.release(attempt.slots());
        lastJobFinishedAt = Instant.now();
    }

    private void releaseQuietly(Lease lease) {
        try {
            queue.release(lease, Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("release of {} failed; its lease will expire", lease.jobId(), e);
        }
    }

    private void renewLeases() {
        if (renewalSuspended) {
            return;
        }
        for (Attempt a : active.values()) {
            if (a.isDone()) {
                continue;
            }
            try {
                a.setLease(queue.renew(a.lease(), config.leaseTime()));
            } catch (LeaseLostException e) {
                LOG.warn("worker {}: lost the lease on job {} (attempt {}); aborting it", config.id(), a.lease().jobId(), a.lease().token());
                a.abort(Attempt.Abort.LEASE_LOST, runner);
                continue;
            } catch (RuntimeException e) {
                LOG.warn("worker {}: renewing job {} failed: {}", config.id(), a.lease().jobId(), e.toString());
            }
            // events can be missed (e.g. across a reconnect); the store is the truth for cancellation
            try {
                store.get(a.lease().jobId()).filter(j -> j.state() == JobState.CANCELLED).ifPresent(j -> a.abort(Attempt.Abort.CANCELLED, runner));
            } catch (RuntimeException e) {
                LOG.debug("cancellation check failed for {}", a.lease().jobId(), e);
            }
        }
    }

    private void onEvent(JobEvent event) {
        if (event.state() != JobState.CANCELLED) {
            return;
        }
        for (Attempt a : active.values()) {
            if (a.lease().jobId().equals(event.jobId())) {
                a.abort(Attempt.Abort.CANCELLED, runner);
            }
        }
    }

    private void requeueExpired() {
        try {
            int n = queue.requeueExpired();
            if (n > 0) {
                LOG.info("requeued {} job(s) whose lease expired", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("requeueing expired leases failed: {}", e.toString());
        }
    }

    private void checkHealth() {
        boolean ok;
        String reason;
        try {
            EngineHealth h = runner.health();
            if (!h.reachable()) {
                ok = false;
                reason = "engine unreachable: " + h.detail();
            } else if (h.diskUsed() >= config.diskThreshold()) {
                ok = false;
                reason = String.format("engine disk %.0f%% full (threshold %.0f%%)", h.diskUsed() * 100, config.diskThreshold() * 100);
            } else {
                ok = true;
                reason = "ok";
            }
        } catch (RuntimeException e) {
            ok = false;
            reason = "health check failed: " + e.getMessage();
        }
        if (ok != healthy) {
            if (ok) {
                LOG.info("worker {} healthy again; taking jobs", config.id());
            } else {
                LOG.warn("worker {} unhealthy, not taking jobs: {}", config.id(), reason);
            }
        }
        healthy = ok;
        healthReason = reason;
        if (ok) {
            synchronized (healthLock) {
                healthLock.notifyAll();
            }
        }
    }

    private void heartbeat() {
        try {
            List<String> jobs = runningJobs().stream().map(JobId::value).sorted().toList();
            store.heartbeat(new WorkerInfo(config.id(), HOST, config.slots(), busySlots(), healthy, healthReason, jobs, startedAt,
                    Instant.now(), lastJobFinishedAt, config.instanceId()), config.heartbeatInterval().multipliedBy(3));
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed: {}", e.toString());
        }
    }

    /**
     * Removes containers left by workers that are gone. A worker on this host is gone when its process has
     * ended (so two embedded apps sharing an engine never remove each other's containers, and a killed
     * worker's are found at once); a worker elsewhere when its heartbeat has expired.
     */
    private void removeOrphans() {
        try {
            Set<String> live = ConcurrentHashMap.newKeySet();
            store.workers().forEach(w -> live.add(w.id()));
            String hostPrefix = HOST.replaceAll("[^A-Za-z0-9.-]", "-") + "-";
            int removed = runner.removeContainers(LABEL_WORKER, w -> !w.equals(config.id())
                    && (w.startsWith(hostPrefix) && pid(w) > 0 ? !pidAlive(pid(w)) : !live.contains(w)));
            if (removed > 0) {
                LOG.info("removed {} container(s) left by dead workers", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("orphan container cleanup failed: {}", e.toString());
        }
    }

    /** The pid in a default worker id (host-pid-random), or -1. */
    private static long pid(String workerId) {
        String[] parts = workerId.split("-");
        try {
            return parts.length >= 3 ? Long.parseLong(parts[parts.length - 2]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean pidAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops taking jobs, lets running ones finish for up to the shutdown grace, then aborts the rest and gives
     * them back to the queue at once (they are retried elsewhere without counting against the job).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                executor.shutdownNow();
                scheduler.shutdownNow();
                return;
            }
            running = false;
        }
        if (pollThread != null) {
            pollThread.interrupt();
            try {
                pollThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("worker {}: {} job(s) still running after {}; giving them back to the queue", config.id(), active.size(), config.shutdownGrace());
                active.values().forEach(a -> a.abort(Attempt.Abort.SHUTDOWN, runner));
                executor.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        if (subscription != null) {
            subscription.close();
        }
        try {
            store.removeWorker(config.id());
        } catch (RuntimeException e) {
            LOG.debug("could not deregister worker {}", config.id(), e);
        }
        LOG.info("worker {} stopped", config.id());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

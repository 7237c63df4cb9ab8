package io.ccc.redis;

import io.ccc.Ccc;
import io.ccc.Job;
import io.ccc.JobQuery;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.Page;
import io.ccc.spi.Queue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes N no-op jobs through RedisQueue + RedisJobStore with the calls the worker makes for every job:
 * {@code claim} (leases for every free slot, with their jobs, in one round trip), a write to RUNNING, and
 * {@code complete} (the final write and the ack in one round trip, fenced by the lease). One claiming thread
 * and W slot threads, as in a worker with W slots. The worker's container phase writes (copying inputs,
 * running, copying outputs) are container work and not in this figure. Three runs: submit all (P producers,
 * a job record + queue entry each), drain them, then a mixed run where producers and workers overlap.
 *
 * <p>Run: {@code bash bench/redis-queue.sh [N] [W]}.
 */
public final class RedisQueueBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String uri = args.length > 2 ? args[2] : RedisTestSupport.uri();
        try (BenchRig rig = new BenchRig(uri, "bench")) {
            RedisQueue queue = rig.queue;
            RedisJobStore store = rig.store;
            Ccc ccc = rig.ccc;
            JobSpec spec = rig.spec;
            ExecutorService pool = rig.pool;
            int producers = Math.max(2, w / 2);

            // warm-up, so that the first figures do not measure the JIT
            int warm = Integer.getInteger("bench.warmup", 10_000);
            runAll(pool, submitters(ccc, spec, producers, warm));
            drain(pool, queue, store, w, warm);

            long memBefore = rig.usedMemory();
            double submitSecs = runAll(pool, submitters(ccc, spec, producers, n));
            long memQueued = rig.usedMemory();

            double cpuBefore = rig.redisCpu();
            double drainSecs = drain(pool, queue, store, w, n);
            double cpu = rig.redisCpu() - cpuBefore;

            // mixed: producers and workers at once; done when every job is finished
            Instant t0 = Instant.now();
            Future<Double> workers = pool.submit(() -> drain(pool, queue, store, w, n));
            runAll(pool, submitters(ccc, spec, producers, n));
            workers.get();
            double mixedSecs = Duration.between(t0, Instant.now()).toNanos() / 1e9;

            System.out.printf("N=%d W=%d producers=%d%n", n, w, producers);
            System.out.printf("submit: %.0f jobs/s (%.2f s)%n", n / submitSecs, submitSecs);
            System.out.printf("drain:  %.0f jobs/s (%.2f s)  [claim, write RUNNING, complete]%n", n / drainSecs, drainSecs);
            System.out.printf("mixed:  %.0f jobs/s (%.2f s, producers and workers together)%n", n / mixedSecs, mixedSecs);
            System.out.printf("redis memory per queued job: %d bytes (job record + indexes + queue entry)%n", (memQueued - memBefore) / n);
            System.out.printf("redis cpu during drain: %.2f s of %.2f s wall (%.0f%% of one core)%n", cpu, drainSecs, 100 * cpu / drainSecs);
            // listing cost with all the jobs in the store: a page must cost the page, not N
            JobQuery byLabel = JobQuery.all().withLabels(Map.of("bench", rig.prefix)).withLimit(100);
            long l0 = System.nanoTime();
            Page<Job> page = store.list(byLabel);
            for (int i = 0; i < 9 && page.nextPageToken() != null; i++) {
                page = store.list(byLabel.withPageToken(page.nextPageToken()));
            }
            double tenPagesMs = (System.nanoTime() - l0) / 1e6;
            long l1 = System.nanoTime();
            store.list(JobQuery.all().withStates(Set.of(JobState.SUCCEEDED)).withLimit(100));
            double statePageMs = (System.nanoTime() - l1) / 1e6;
            System.out.printf("list with %d jobs stored: 10 pages of 100 by label %.1f ms (%.1f ms/page), a page by state %.1f ms%n",
                    2 * n + warm, tenPagesMs, tenPagesMs / 10, statePageMs);
        }
    }

    static List<Runnable> submitters(Ccc ccc, JobSpec spec, int producers, int n) {
        AtomicInteger left = new AtomicInteger(n);
        List<Runnable> tasks = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            tasks.add(() -> {
                while (left.getAndDecrement() > 0) {
                    ccc.submit(spec);
                }
            });
        }
        return tasks;
    }

    /** Runs the tasks on the pool and returns the seconds until all are done. */
    static double runAll(ExecutorService pool, List<Runnable> tasks) throws Exception {
        Instant t0 = Instant.now();
        List<Future<?>> fs = new ArrayList<>();
        tasks.forEach(t -> fs.add(pool.submit(t)));
        for (Future<?> f : fs) {
            f.get();
        }
        return Duration.between(t0, Instant.now()).toNanos() / 1e9;
    }

    /** A worker with {@code slots} slots, as the engine runs one, until {@code n} jobs are done; returns seconds. */
    static double drain(ExecutorService pool, RedisQueue queue, RedisJobStore store, int slots, int n) throws Exception {
        Semaphore free = new Semaphore(slots);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger claimed = new AtomicInteger();
        ExecutorService slotThreads = Executors.newFixedThreadPool(slots);
        Instant t0 = Instant.now();
        try {
            while (claimed.get() < n) {
                free.acquire();
                int taken = 1;
                while (free.tryAcquire()) {
                    taken++;
                }
                List<Queue.Claim> claims = queue.claim(store, taken, Duration.ofMillis(200), Duration.ofSeconds(30));
                free.release(taken - claims.size());
                claimed.addAndGet(claims.size());
                for (Queue.Claim c : claims) {
                    slotThreads.execute(() -> {
                        try {
                            Instant now = Instant.now();
                            Job running = store.update(c.job().toBuilder().state(JobState.RUNNING).attempt(c.lease().token())
                                    .workerId("bench-worker").startedAt(now).updatedAt(now).build());
                            Instant end = Instant.now();
                            queue.complete(store, c.lease(), running.toBuilder().state(JobState.SUCCEEDED).exitCode(0)
                                    .finishedAt(end).updatedAt(end).build());
                            done.incrementAndGet();
                        } finally {
                            free.release();
                        }
                    });
                }
            }
            free.acquire(slots); // every slot back: every claimed job is finished
            if (done.get() != claimed.get()) {
                throw new IllegalStateException(done.get() + " of " + claimed.get() + " claimed jobs finished");
            }
            return Duration.between(t0, Instant.now()).toNanos() / 1e9;
        } finally {
            slotThreads.shutdown();
        }
    }
}

package io.ccc.redis;

import io.ccc.Ccc;
import io.ccc.Job;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.embedded.LocalStorage;
import io.ccc.spi.Lease;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes N no-op jobs through RedisQueue + RedisJobStore: submit all (job record + queue entry each), then
 * W worker threads drain them with the worker's durable protocol (poll a lease, read the job, write RUNNING,
 * write SUCCEEDED, ack). Prints jobs/s both ways, Redis memory per queued job and Redis CPU.
 *
 * <p>Run: {@code bash bench/redis-queue.sh [N] [W]}.
 */
public final class RedisQueueBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String uri = args.length > 2 ? args[2] : RedisTestSupport.uri();
        String prefix = "bench-" + System.nanoTime();
        RedisConfig config = RedisConfig.of(uri, prefix);
        RedisClient raw = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> info = raw.connect();
             RedisQueue queue = new RedisQueue(config);
             RedisJobStore store = new RedisJobStore(config);
             Ccc ccc = Ccc.builder().queue(queue).jobStore(store).storage(new LocalStorage(Files.createTempDirectory("bench")))
                     .worker(false).build()) {
            JobSpec spec = JobSpec.builder("local/busybox:1").command("true").label("bench", prefix).build();
            long memBefore = usedMemory(info);

            // submit: P producer threads, like many API servers
            int producers = Math.max(2, w / 2);
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(producers, w));
            AtomicInteger left = new AtomicInteger(n);
            Instant t0 = Instant.now();
            List<Future<?>> fs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                fs.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        ccc.submit(spec);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            double submitSecs = Duration.between(t0, Instant.now()).toNanos() / 1e9;
            long memQueued = usedMemory(info);

            // drain: W workers
            double cpuBefore = redisCpu(info);
            AtomicInteger done = new AtomicInteger();
            Instant t1 = Instant.now();
            fs.clear();
            for (int i = 0; i < w; i++) {
                String workerId = "bench-worker-" + i;
                fs.add(pool.submit(() -> {
                    while (done.get() < n) {
                        Optional<Lease> lease = queue.poll(Duration.ofMillis(500), Duration.ofSeconds(30));
                        if (lease.isEmpty()) {
                            continue;
                        }
                        Job job = store.get(lease.get().jobId()).orElseThrow();
                        Instant now = Instant.now();
                        job = store.update(job.toBuilder().state(JobState.RUNNING).attempt(lease.get().token()).workerId(workerId)
                                .startedAt(now).updatedAt(now).build());
                        Instant end = Instant.now();
                        store.update(job.toBuilder().state(JobState.SUCCEEDED).exitCode(0).finishedAt(end).updatedAt(end).build());
                        queue.ack(lease.get());
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            double drainSecs = Duration.between(t1, Instant.now()).toNanos() / 1e9;
            double cpu = redisCpu(info) - cpuBefore;
            pool.shutdown();

            System.out.printf("N=%d W=%d producers=%d%n", n, w, producers);
            System.out.printf("submit: %.0f jobs/s (%.2f s)%n", n / submitSecs, submitSecs);
            System.out.printf("drain:  %.0f jobs/s (%.2f s)  [poll, get, write RUNNING, write SUCCEEDED, ack]%n", n / drainSecs, drainSecs);
            System.out.printf("redis memory per queued job: %d bytes (job record + indexes + queue entry)%n", (memQueued - memBefore) / n);
            System.out.printf("redis cpu during drain: %.2f s of %.2f s wall (%.0f%% of one core)%n", cpu, drainSecs, 100 * cpu / drainSecs);
            // listing cost with N jobs in the store: a page must cost the page, not N
            io.ccc.JobQuery byLabel = io.ccc.JobQuery.all().withLabels(java.util.Map.of("bench", prefix)).withLimit(100);
            long l0 = System.nanoTime();
            io.ccc.Page<Job> page = store.list(byLabel);
            for (int i = 0; i < 9 && page.nextPageToken() != null; i++) {
                page = store.list(byLabel.withPageToken(page.nextPageToken()));
            }
            double tenPagesMs = (System.nanoTime() - l0) / 1e6;
            long l1 = System.nanoTime();
            store.list(io.ccc.JobQuery.all().withStates(java.util.Set.of(JobState.SUCCEEDED)).withLimit(100));
            double statePageMs = (System.nanoTime() - l1) / 1e6;
            System.out.printf("list with %d jobs stored: 10 pages of 100 by label %.1f ms (%.1f ms/page), a page by state %.1f ms%n",
                    n, tenPagesMs, tenPagesMs / 10, statePageMs);
            System.out.printf("stats: %s%n", store.stats());
        } finally {
            RedisTestSupport.deleteAll(prefix);
            raw.shutdown();
        }
    }

    private static long usedMemory(StatefulRedisConnection<String, String> c) {
        return Long.parseLong(field(c.sync().info("memory"), "used_memory"));
    }

    private static double redisCpu(StatefulRedisConnection<String, String> c) {
        String info = c.sync().info("cpu");
        return Double.parseDouble(field(info, "used_cpu_sys")) + Double.parseDouble(field(info, "used_cpu_user"));
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in INFO");
    }
}

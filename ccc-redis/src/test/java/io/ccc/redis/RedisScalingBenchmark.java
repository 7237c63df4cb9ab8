package io.ccc.redis;

import io.ccc.Ccc;
import io.ccc.JobId;
import io.ccc.JobQuery;
import io.ccc.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Cost per operation with 10k, 100k and 1M jobs queued: at each depth, 10,000 more submitted, 10,000 drained
 * (claim, RUNNING, complete, as {@link RedisQueueBenchmark}), then single calls timed (get, queue stats, a page by
 * label). The queue keeps its depth while measured. Flat figures across depths = no O(n) step on the hot path.
 *
 * <p>Run: {@code bash bench/scaling-with-work.sh [depths]}.
 */
public final class RedisScalingBenchmark {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        List<Integer> depths = new ArrayList<>();
        for (String d : (args.length > 1 ? args[1] : "10000,100000,1000000").split(",")) {
            depths.add(Integer.parseInt(d.trim()));
        }
        int sample = 10_000;
        int w = 8;
        int producers = 4;
        try (BenchRig rig = new BenchRig(uri, "scale")) {
            RedisQueue queue = rig.queue;
            RedisJobStore store = rig.store;
            Ccc ccc = rig.ccc;
            JobSpec spec = rig.spec;
            ExecutorService pool = rig.pool;
            // warm-up: one sample submitted and drained before the baseline is taken
            RedisQueueBenchmark.runAll(pool, RedisQueueBenchmark.submitters(ccc, spec, producers, sample));
            RedisQueueBenchmark.drain(pool, queue, store, w, sample);
            long base = rig.usedMemory();
            long finished = 0; // since the baseline
            System.out.printf("%10s %12s %12s %16s %14s %10s %12s %14s%n", "queued", "submit/s", "drain/s", "redis us/job(drain)",
                    "bytes/job", "get ms", "stats ms", "label page ms");
            long queued = 0;
            for (int depth : depths) {
                if (depth > queued) {
                    RedisQueueBenchmark.runAll(pool, RedisQueueBenchmark.submitters(ccc, spec, producers, (int) (depth - queued)));
                    queued = depth;
                }
                long mem = rig.usedMemory();
                double submitSecs = RedisQueueBenchmark.runAll(pool, RedisQueueBenchmark.submitters(ccc, spec, producers, sample));
                double cpu0 = rig.redisCpu();
                double drainSecs = RedisQueueBenchmark.drain(pool, queue, store, w, sample);
                double cpu = rig.redisCpu() - cpu0;
                finished += sample;
                JobId some = queue.poll(Duration.ZERO, Duration.ofSeconds(1)).orElseThrow().jobId();
                double getMs = timeMs(() -> store.get(some));
                double statsMs = timeMs(queue::stats);
                double pageMs = timeMs(() -> store.list(JobQuery.all().withLabels(Map.of("bench", rig.prefix)).withLimit(100)));
                // memory per job stored when the depth was reached: the queued ones and the finished ones of the
                // earlier depths (kept for their retention); at the first depth all are queued
                System.out.printf("%10d %12.0f %12.0f %16.0f %14d %10.2f %12.2f %14.2f%n", queued, sample / submitSecs,
                        sample / drainSecs, cpu / sample * 1e6, (mem - base) / (queued + finished - sample), getMs, statsMs, pageMs);
            }
            System.out.printf("(bytes/job: Redis memory over the empty store per job stored at that depth; %d finished jobs stored by the end)%n", finished);
        }
    }

    /** Median of 101 calls, in ms. */
    private static double timeMs(Runnable call) {
        double[] t = new double[101];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            call.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}

package io.ccc.redis;

import io.ccc.Ccc;
import io.ccc.JobSpec;
import io.ccc.embedded.LocalStorage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the Redis benchmarks share: a queue, a job store and a {@link Ccc} (no worker) on a fresh key prefix,
 * a no-op job spec labelled with it, a thread pool, and Redis's own memory and CPU counters. Closing deletes
 * the prefix's keys.
 */
final class BenchRig implements AutoCloseable {
    final String prefix;
    final RedisQueue queue;
    final RedisJobStore store;
    final Ccc ccc;
    final JobSpec spec;
    final ExecutorService pool = Executors.newCachedThreadPool();
    private final RedisClient raw;
    private final StatefulRedisConnection<String, String> info;

    BenchRig(String uri, String name) throws IOException {
        prefix = name + "-" + System.nanoTime();
        RedisConfig config = RedisConfig.of(uri, prefix);
        raw = RedisClient.create(uri);
        info = raw.connect();
        queue = new RedisQueue(config);
        store = new RedisJobStore(config);
        ccc = Ccc.builder().queue(queue).jobStore(store).storage(new LocalStorage(Files.createTempDirectory("bench"))).worker(false).build();
        spec = JobSpec.builder("local/busybox:1").command("true").label("bench", prefix).build();
    }

    long usedMemory() {
        return Long.parseLong(field(info.sync().info("memory"), "used_memory"));
    }

    /** Seconds of CPU Redis has used (user + system). */
    double redisCpu() {
        String cpu = info.sync().info("cpu");
        return Double.parseDouble(field(cpu, "used_cpu_sys")) + Double.parseDouble(field(cpu, "used_cpu_user"));
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in INFO");
    }

    @Override
    public void close() {
        pool.shutdownNow();
        ccc.close();
        store.close();
        queue.close();
        info.close();
        RedisTestSupport.deleteAll(prefix);
        raw.shutdown();
    }
}

package io.ccc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.Ccc;
import io.ccc.CccException;
import io.ccc.Job;
import io.ccc.JobId;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.docker.DockerContainerRunner;
import io.ccc.embedded.LocalStorage;
import io.ccc.engine.WorkerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Redis restart loses nothing; foreign or corrupt data under the prefix stops neither worker nor reaper. */
@Timeout(300)
class RedisResilienceTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisResilienceTest.class);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Process redisProcess;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        closeables.clear();
        if (redisProcess != null) {
            redisProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    private Ccc ccc(RedisConfig config, Path storageDir, boolean worker) {
        RedisQueue queue = closeLater(new RedisQueue(config));
        RedisJobStore store = closeLater(new RedisJobStore(config));
        Ccc.Builder b = Ccc.builder().queue(queue).jobStore(store).storage(new LocalStorage(storageDir)).worker(worker);
        if (worker) {
            b.containerRunner(closeLater(DockerContainerRunner.create()))
                    .workerConfig(WorkerConfig.defaults().withSlots(2).withLeaseTime(Duration.ofSeconds(4))
                            .withPollWait(Duration.ofSeconds(1)).withShutdownGrace(Duration.ofSeconds(10)));
        }
        return closeLater(b.build());
    }

    private Process startRedis(int port, Path dir) throws Exception {
        Process p = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--dir", dir.toString(),
                "--appendonly", "yes", "--appendfsync", "always", "--save", "")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + System.nanoTime() + ".log").toFile()).start();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    if ("PONG".equals(c.sync().ping())) {
                        return p;
                    }
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        } finally {
            client.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Job awaitThroughOutages(Ccc ccc, JobId id, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                Job job = ccc.await(id, Duration.ofSeconds(5));
                if (job.isTerminal() || System.nanoTime() > deadline) {
                    return job;
                }
            } catch (CccException e) {
                if (!e.retryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aRedisRestartWithAofLosesNoJob() throws Exception {
        Path dir = Files.createTempDirectory("ccc-redis-aof");
        int port = freePort();
        redisProcess = startRedis(port, dir);
        RedisConfig config = RedisConfig.of("redis://127.0.0.1:" + port, "restart");
        Ccc ccc = ccc(config, Files.createTempDirectory("ccc-restart-storage"), true);
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(ccc.submit(JobSpec.builder("local/busybox:1").command("sh", "-c", "sleep 1; echo " + i + " > /outputs/n.txt").build()).id());
        }
        eventually("some jobs to finish and others to run", () -> ccc.list(io.ccc.JobQuery.all().withStates(java.util.Set.of(JobState.SUCCEEDED)))
                .items().size() >= 2);
        LOG.info("killing redis (SIGKILL) with jobs queued and running");
        redisProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(2000);
        redisProcess = startRedis(port, dir);
        LOG.info("redis restarted from its AOF");

        List<Job> jobs = new ArrayList<>();
        for (JobId id : ids) {
            jobs.add(awaitThroughOutages(ccc, id, Duration.ofMinutes(3)));
        }
        assertThat(jobs).allSatisfy(j -> assertThat(j.state()).as("job %s: %s", j.id(), j.error()).isEqualTo(JobState.SUCCEEDED));
        Map<Integer, Long> attempts = jobs.stream().collect(Collectors.groupingBy(Job::attempt, Collectors.counting()));
        LOG.info("all {} jobs finished; attempts: {}", jobs.size(), attempts);
        for (int i = 0; i < ids.size(); i++) {
            try (var in = ccc.openOutput(ids.get(i), "n.txt")) {
                assertThat(new String(in.readAllBytes()).trim()).isEqualTo(String.valueOf(i));
            }
        }
    }

    @Test
    void corruptDataFailsOnlyItsJobAndStopsNothing() throws Exception {
        String prefix = RedisTestSupport.newPrefix();
        RedisConfig config = RedisTestSupport.config(prefix);
        Path storageDir = Files.createTempDirectory("ccc-corrupt");
        Ccc client = ccc(config, storageDir, false);
        JobSpec spec = JobSpec.builder("local/busybox:1").command("true").build();
        JobId wrongType = client.submit(spec).id();
        JobId badJson = client.submit(spec).id();
        JobId badMeta = client.submit(spec).id();
        JobId good = client.submit(spec).id();
        String p = "{" + prefix + "}:";
        RedisClient raw = RedisClient.create(RedisTestSupport.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            RedisCommands<String, String> r = c.sync();
            r.del(p + "job:" + wrongType.value());
            r.rpush(p + "job:" + wrongType.value(), "a", "list");
            r.hset(p + "job:" + badJson.value(), "d", "{\"id\": \"not json");
            r.hset(p + "q:meta", badMeta.value(), "garbage");
            // an expired lease whose metadata is garbage: the reaper must step over it
            r.zadd(p + "q:leased:STANDARD", 0, "not-a-job");
            r.hset(p + "q:meta", "not-a-job", "x|y");

            Ccc worker = ccc(config, storageDir, true);
            assertThat(awaitThroughOutages(worker, good, Duration.ofMinutes(2)).state()).isEqualTo(JobState.SUCCEEDED);
            assertThatThrownBy(() -> worker.get(wrongType)).isInstanceOf(CccException.class)
                    .hasMessageContaining(wrongType.value()).hasMessageContaining("WRONGTYPE");
            assertThatThrownBy(() -> worker.get(badJson)).isInstanceOfSatisfying(CccException.class,
                    e -> assertThat(e.code()).isEqualTo("CORRUPT_JOB")).hasMessageContaining(badJson.value());
            eventually("the unreadable jobs to leave the queue", () -> worker.queue().stats().ready() == 0
                    && worker.queue().stats().lanes().values().stream().allMatch(l -> l.leased() == 0));
            assertThat(r.smembers(p + "q:meta:bad")).contains(badMeta.value());
            assertThat(worker.queue().requeueExpired()).isGreaterThanOrEqualTo(0);

            // a whole lane key of the wrong type: polls fail loudly, the worker keeps running, and recovers
            r.set(p + "q:ready:FAST", "not a sorted set");
            JobId after = worker.submit(spec).id();
            Thread.sleep(2500);
            assertThat(worker.require(after).state()).isEqualTo(JobState.QUEUED);
            r.del(p + "q:ready:FAST");
            assertThat(awaitThroughOutages(worker, after, Duration.ofMinutes(2)).state()).isEqualTo(JobState.SUCCEEDED);
        } finally {
            raw.shutdown();
            RedisTestSupport.deleteAll(prefix);
        }
    }
}

package io.ccc.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.Ccc;
import io.ccc.Job;
import io.ccc.JobId;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.embedded.LocalStorage;
import io.ccc.scaling.LocalScaler;
import io.ccc.scaling.ScalingLoop;
import io.ccc.scaling.ScalingRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scaling loop with local worker processes on Redis: a burst grows the fleet, idleness shrinks it to zero. */
@Timeout(300)
class LocalScalingTest {
    private static final Logger LOG = LoggerFactory.getLogger(LocalScalingTest.class);

    @Test
    void aBurstGrowsLocalWorkersAndTheyShrinkBackWhenIdle() throws Exception {
        String prefix = RedisTestSupport.newPrefix();
        Path storageDir = Files.createTempDirectory("ccc-local-scaling");
        RedisConfig config = RedisTestSupport.config(prefix);
        ScalingRules rules = new ScalingRules(0, 3, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofMinutes(1), Duration.ZERO);
        try (RedisQueue queue = new RedisQueue(config); RedisJobStore store = new RedisJobStore(config);
             Ccc client = Ccc.builder().queue(queue).jobStore(store).storage(new LocalStorage(storageDir)).worker(false).build();
             LocalScaler scaler = new LocalScaler(WorkerProcess.env(RedisTestSupport.uri(), prefix, storageDir.toFile(), 1, "10s"), 0, 3,
                     Path.of("target"));
             ScalingLoop loop = new ScalingLoop(queue, store, scaler, rules, "test-loop")) {
            assertThat(scaler.fleet().desired()).isZero();
            List<JobId> ids = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                ids.add(client.submit(JobSpec.builder("local/busybox:1").command("sleep", "2").build()).id());
            }
            loop.start(Duration.ofMillis(500));
            int peak = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (ids.stream().anyMatch(id -> !client.require(id).isTerminal()) && System.nanoTime() < deadline) {
                peak = Math.max(peak, scaler.fleet().desired());
                Thread.sleep(200);
            }
            LOG.info("the burst took the local fleet to {} workers", peak);
            assertThat(peak).as("grew to the max for the backlog").isEqualTo(3);
            for (JobId id : ids) {
                Job job = client.require(id);
                assertThat(job.state()).as("%s", job).isEqualTo(JobState.SUCCEEDED);
            }
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (scaler.fleet().desired() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(scaler.fleet().desired()).as("idle workers gone").isZero();
            assertThat(store.stats().finished().get(JobState.SUCCEEDED)).isEqualTo(9);
        } finally {
            RedisTestSupport.deleteAll(prefix);
        }
    }
}

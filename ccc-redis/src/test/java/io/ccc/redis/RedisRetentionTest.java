package io.ccc.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.Job;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobQuery;
import io.ccc.JobSpec;
import io.ccc.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finished jobs are deleted after their retention, with their index entries; running ones stay. */
class RedisRetentionTest {
    private final String prefix = RedisTestSupport.newPrefix();

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteAll(prefix);
    }

    @Test
    void finishedJobsGoAfterTheirRetentionAndTheRestStays() throws Exception {
        RedisConfig config = RedisTestSupport.config(prefix).withRetention(Duration.ofMillis(500), Duration.ofMillis(200))
                .withSweepInterval(Duration.ofHours(1));
        try (RedisJobStore store = new RedisJobStore(config)) {
            JobSpec spec = JobSpec.builder("local/busybox:1").command("true").label("keep", "no").build();
            Job done = store.create(Job.queued(JobId.newId(), spec, Instant.now()));
            Instant now = Instant.now();
            store.update(done.toBuilder().state(JobState.CANCELLED).finishedAt(now).build());
            Job fast = store.create(Job.queued(JobId.newId(), spec.toBuilder().kind(JobKind.FAST).build(), Instant.now()));
            store.update(fast.toBuilder().state(JobState.CANCELLED).finishedAt(now).build());
            Job running = store.create(Job.queued(JobId.newId(), spec, Instant.now()));
            store.update(running.toBuilder().state(JobState.RUNNING).attempt(1).build());

            assertThat(store.sweep()).isZero();
            Thread.sleep(700);
            assertThat(store.sweep()).isEqualTo(2);
            assertThat(store.get(done.id())).isEmpty();
            assertThat(store.get(fast.id())).isEmpty();
            assertThat(store.get(running.id())).isPresent();
            assertThat(store.list(JobQuery.all().withLabels(Map.of("keep", "no"))).items()).extracting(Job::id).containsExactly(running.id());
            assertThat(store.list(JobQuery.all().withStates(java.util.Set.of(JobState.CANCELLED))).items()).isEmpty();
            assertThat(store.delete(running.id())).isTrue();
            assertThat(store.list(JobQuery.all().withLabels(Map.of("keep", "no"))).items()).isEmpty();
        }
    }
}

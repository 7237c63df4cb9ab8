package io.ccc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobStateTest {
    @Test
    void terminalStatesGoNowhere() {
        for (JobState from : JobState.values()) {
            if (from.isTerminal()) {
                for (JobState to : JobState.values()) {
                    assertThat(from.canTransitionTo(to)).as("%s -> %s", from, to).isFalse();
                }
            }
        }
    }

    @Test
    void queuedRunningAndRetries() {
        assertThat(JobState.QUEUED.canTransitionTo(JobState.RUNNING)).isTrue();
        assertThat(JobState.QUEUED.canTransitionTo(JobState.SUCCEEDED)).isFalse();
        assertThat(JobState.RUNNING.canTransitionTo(JobState.QUEUED)).isTrue();
        assertThat(JobState.RUNNING.canTransitionTo(JobState.SUCCEEDED)).isTrue();
    }

    @Test
    void theBuilderEnforcesTheTable() {
        Job job = Job.queued(JobId.newId(), JobSpec.builder("busybox").command("true").build(), Instant.now());
        assertThatThrownBy(() -> job.toBuilder().state(JobState.SUCCEEDED)).isInstanceOf(IllegalTransitionException.class);
        Job cancelled = job.toBuilder().state(JobState.CANCELLED).build();
        assertThatThrownBy(() -> cancelled.toBuilder().state(JobState.RUNNING)).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void idsAreTimeOrdered() {
        JobId prev = JobId.newId();
        for (int i = 0; i < 10_000; i++) {
            JobId next = JobId.newId();
            assertThat(next).isGreaterThan(prev);
            prev = next;
        }
        assertThatThrownBy(() -> JobId.of("../../etc")).isInstanceOf(InvalidJobSpecException.class);
    }

    @Test
    void backoffGrowsWithJitterWithinBounds() {
        RetryPolicy p = new RetryPolicy(10, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2));
        for (int attempt = 1; attempt < 10; attempt++) {
            long ceiling = Math.min(2000, 100L << (attempt - 1));
            long ms = p.backoff(attempt).toMillis();
            assertThat(ms).isBetween(ceiling / 2, ceiling);
        }
    }
}

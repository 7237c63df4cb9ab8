package io.ccc.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.scaling.ScalingSnapshot.WorkerView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final ScalingRules RULES = ScalingRules.of(0, 50, 2);

    private static WorkerView busy(String id, int slots) {
        return new WorkerView(id, 2, slots, NOW.minusSeconds(3600), null, null);
    }

    private static WorkerView idle(String id, Duration forHowLong) {
        return new WorkerView(id, 2, 0, NOW.minusSeconds(7200), NOW.minus(forHowLong), null);
    }

    private static ScalingSnapshot snapshot(long ready, int desired, List<WorkerView> workers) {
        return new ScalingSnapshot(NOW, ready, Duration.ofSeconds(ready > 0 ? 30 : 0), desired, workers, null, null);
    }

    /** ready jobs, busy slots, current desired, max -> new desired */
    @ParameterizedTest(name = "{0} waiting, {1} busy slots, desired {2}, max {3} -> {4}")
    @CsvSource({
        "20, 0, 0, 50, 10",   // proportional to the backlog, all at once
        "1, 0, 0, 50, 1",
        "3, 0, 0, 50, 2",
        "10, 4, 2, 50, 7",    // busy slots count too: (4 + 10) / 2
        "100, 0, 0, 10, 10",  // never above max
        "5, 0, 8, 50, 8",     // enough already: no change
    })
    void scaleUpFollowsTheBacklog(long ready, int busySlots, int desired, int max, int expected) {
        List<WorkerView> workers = new ArrayList<>();
        for (int i = 0; i < busySlots; i++) {
            workers.add(busy("i-busy" + i, 1));
        }
        ScalingDecision d = ScalingPolicy.decide(snapshot(ready, desired, workers), ScalingRules.of(0, max, 2));
        assertThat(d.desired()).isEqualTo(expected);
        assertThat(d.terminate()).isEmpty();
        if (expected != desired) {
            assertThat(d.reasons()).as("a change always says why").isNotEmpty();
        }
    }

    @Test
    void neverBelowMin() {
        ScalingDecision d = ScalingPolicy.decide(snapshot(0, 0, List.of()), ScalingRules.of(2, 10, 2));
        assertThat(d.desired()).isEqualTo(2);
        ScalingDecision down = ScalingPolicy.decide(snapshot(0, 3, List.of(idle("a", Duration.ofHours(1)), idle("b", Duration.ofHours(1)),
                idle("c", Duration.ofHours(1)))), ScalingRules.of(2, 10, 2));
        assertThat(down.desired()).isEqualTo(2);
        assertThat(down.terminate()).hasSize(1);
    }

    @Test
    void noScaleDownWhileJobsWait() {
        ScalingDecision d = ScalingPolicy.decide(snapshot(1, 3, List.of(idle("a", Duration.ofHours(1)), idle("b", Duration.ofHours(1)),
                idle("c", Duration.ofHours(1)))), RULES);
        assertThat(d.terminate()).isEmpty();
        assertThat(d.desired()).isEqualTo(3);
    }

    @Test
    void busyWorkersAreNeverTerminated() {
        ScalingDecision d = ScalingPolicy.decide(snapshot(0, 3, List.of(busy("busy1", 1), busy("busy2", 2), idle("idle", Duration.ofHours(1)))), RULES);
        assertThat(d.terminate()).containsExactly("idle");
        assertThat(d.desired()).isEqualTo(2);
    }

    @Test
    void scalesToZeroAfterTheIdlePeriodWhenMinIsZero() {
        List<WorkerView> workers = List.of(idle("a", Duration.ofMinutes(6)), idle("b", Duration.ofMinutes(10)));
        ScalingDecision d = ScalingPolicy.decide(snapshot(0, 2, workers), RULES);
        assertThat(d.desired()).isZero();
        assertThat(d.terminate()).containsExactly("b", "a"); // longest idle first
    }

    @Test
    void notBeforeTheIdlePeriod() {
        ScalingDecision d = ScalingPolicy.decide(snapshot(0, 2, List.of(idle("a", Duration.ofMinutes(1)), idle("b", Duration.ofMinutes(4)))), RULES);
        assertThat(d.terminate()).isEmpty();
        assertThat(d.desired()).isEqualTo(2);
    }

    @Test
    void unhealthyWorkersAreReplacedAfterTheGrace() {
        WorkerView sick = new WorkerView("sick", 2, 0, NOW.minusSeconds(3600), NOW.minusSeconds(600), NOW.minus(Duration.ofMinutes(4)));
        WorkerView justSick = new WorkerView("new-sick", 2, 0, NOW.minusSeconds(3600), NOW.minusSeconds(600), NOW.minus(Duration.ofMinutes(1)));
        ScalingDecision d = ScalingPolicy.decide(snapshot(0, 2, List.of(sick, justSick)), RULES);
        assertThat(d.replace()).containsExactly("sick");
        assertThat(d.terminate()).isEmpty();
        assertThat(d.desired()).as("replacing keeps the size").isEqualTo(2);
    }

    @Test
    void cooldownsPreventFlapping() {
        ScalingRules rules = RULES.withCooldowns(Duration.ofMinutes(1), Duration.ofMinutes(5));
        // scaled up 30 s ago: no new scale-up yet
        ScalingSnapshot up = new ScalingSnapshot(NOW, 40, Duration.ofMinutes(1), 5, List.of(), NOW.minusSeconds(30), null);
        assertThat(ScalingPolicy.decide(up, rules).desired()).isEqualTo(5);
        // scaled up 2 min ago, then the queue emptied: no scale-down within the scale-down cooldown
        ScalingSnapshot down = new ScalingSnapshot(NOW, 0, Duration.ZERO, 5, List.of(idle("a", Duration.ofMinutes(10))),
                NOW.minusSeconds(120), null);
        assertThat(ScalingPolicy.decide(down, rules).terminate()).isEmpty();
        // and one scale-down per cooldown
        ScalingSnapshot again = new ScalingSnapshot(NOW, 0, Duration.ZERO, 4, List.of(idle("b", Duration.ofMinutes(10))),
                NOW.minus(Duration.ofHours(1)), NOW.minusSeconds(60));
        assertThat(ScalingPolicy.decide(again, rules).terminate()).isEmpty();
    }

    @Test
    void withABillingIncrementIdleWorkersGoOnlyNearTheEndOfAPaidHour() {
        ScalingRules rules = RULES.withBillingIncrement(Duration.ofHours(1));
        WorkerView early = new WorkerView("early", 2, 0, NOW.minus(Duration.ofMinutes(20)), NOW.minus(Duration.ofMinutes(10)), null);
        WorkerView late = new WorkerView("late", 2, 0, NOW.minus(Duration.ofMinutes(115)), NOW.minus(Duration.ofMinutes(10)), null);
        ScalingDecision d = ScalingPolicy.decide(snapshot(0, 2, List.of(early, late)), rules);
        assertThat(d.terminate()).containsExactly("late");
    }
}

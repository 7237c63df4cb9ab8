package io.ccc.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.CccException;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.embedded.InMemoryJobStore;
import io.ccc.embedded.InMemoryQueue;
import io.ccc.scaling.ScalingDecision;
import io.ccc.scaling.ScalingLoop;
import io.ccc.scaling.ScalingRules;
import io.ccc.spi.Queue;
import io.ccc.spi.Scaler;
import io.ccc.spi.WorkerInfo;
import io.ccc.tck.ArchitectureRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real SDK client against a fake endpoint speaking the Auto Scaling Query protocol. */
class AutoScalingGroupScalerTest {
    private FakeAutoScaling aws;
    private AutoScalingGroupScaler scaler;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAutoScaling("ccc-workers", 0, 10);
        scaler = new AutoScalingGroupScaler(new AutoScalingGroupScaler.Settings("ccc-workers", "us-east-1", Optional.of(aws.endpoint()),
                Optional.of("AKIDEXAMPLE"), Optional.of("secret")));
    }

    @AfterEach
    void stop() {
        scaler.close();
        aws.close();
    }

    @Test
    void readsSetsTerminatesAndProtects() {
        scaler.setDesiredCapacity(3);
        Scaler.Fleet fleet = scaler.fleet();
        assertThat(fleet.desired()).isEqualTo(3);
        assertThat(fleet.max()).isEqualTo(10);
        assertThat(fleet.instances()).hasSize(3).allMatch(Scaler.Instance::healthy);
        String first = fleet.instances().get(0).id();
        scaler.protect(first, true);
        assertThat(scaler.fleet().instances().get(0).protectedFromScaleIn()).isTrue();
        scaler.terminate(fleet.instances().get(1).id(), true);
        assertThat(scaler.fleet().desired()).isEqualTo(2);
        scaler.terminate(fleet.instances().get(2).id(), false);
        assertThat(scaler.fleet().desired()).as("replaced, not shrunk").isEqualTo(2);
        assertThat(aws.calls).anySatisfy(c -> {
            assertThat(c.get("Action")).isEqualTo("SetDesiredCapacity");
            assertThat(c.get("Version")).isEqualTo("2011-01-01");
            assertThat(c.get("HonorCooldown")).isEqualTo("false");
        });
    }

    @Test
    void accessDeniedIsClearAndStopsNothingElse() {
        aws.denyAction = "SetInstanceProtection";
        assertThatThrownBy(() -> scaler.protect("i-1", true)).isInstanceOfSatisfying(CccException.class, e -> {
            assertThat(e.code()).isEqualTo("SCALER_DENIED");
            assertThat(e.retryable()).isFalse();
        }).hasMessageContaining("autoscaling:SetInstanceProtection").hasMessageContaining("not authorized");
        // the other calls still work
        scaler.setDesiredCapacity(1);
        assertThat(scaler.fleet().desired()).isEqualTo(1);
    }

    @Test
    void theLoopGrowsTheGroupFromTheBacklogAndProtectsBusyWorkers() {
        Queue queue = new InMemoryQueue();
        InMemoryJobStore store = new InMemoryJobStore();
        for (int i = 0; i < 7; i++) {
            queue.offer(new Queue.QueueEntry(JobId.newId(), JobKind.STANDARD, 0));
        }
        ScalingLoop loop = new ScalingLoop(queue, store, scaler, ScalingRules.of(0, 10, 2), "test");
        ScalingDecision up = loop.runOnce();
        assertThat(up.desired()).isEqualTo(4);
        assertThat(scaler.fleet().desired()).isEqualTo(4);

        // the workers report; one is busy, the others idle for long; the queue has emptied
        List<Scaler.Instance> instances = scaler.fleet().instances();
        while (queue.stats().ready() > 0) {
            try {
                queue.ack(queue.poll(Duration.ofMillis(10), Duration.ofMinutes(1)).orElseThrow());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < instances.size(); i++) {
            store.heartbeat(new WorkerInfo("w" + i, "host", 2, i == 0 ? 1 : 0, true, "ok", List.of(), longAgo, Instant.now(), longAgo,
                    instances.get(i).id()), Duration.ofMinutes(1));
        }
        ScalingLoop later = new ScalingLoop(queue, store, scaler, ScalingRules.of(0, 10, 2), "test");
        ScalingDecision down = later.runOnce();
        assertThat(down.terminate()).hasSize(3).doesNotContain(instances.get(0).id());
        assertThat(scaler.fleet().instances()).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(instances.get(0).id());
            assertThat(i.protectedFromScaleIn()).as("the busy worker is protected").isTrue();
        });
        assertThat(scaler.fleet().desired()).isEqualTo(1);
    }

    @Test
    void aMissingGroupIsAClearError() {
        try (AutoScalingGroupScaler other = new AutoScalingGroupScaler(new AutoScalingGroupScaler.Settings("nope", "us-east-1",
                Optional.of(aws.endpoint()), Optional.of("AKIDEXAMPLE"), Optional.of("secret")))) {
            assertThatThrownBy(other::fleet).isInstanceOf(CccException.class).hasMessageContaining("nope does not exist");
        }
    }

    @Test
    void importsNoOtherBackend() {
        ArchitectureRules.checkBackend(ArchitectureRules.mainClasses("io.ccc.scaler.aws"), "io.ccc.scaler.aws..");
    }
}

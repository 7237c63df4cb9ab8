package io.ccc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void jobRoundTrips() {
        JobSpec spec = JobSpec.builder("local/busybox:1").command("sh", "-c", "echo hi").env("A", "1").workingDir("/work")
                .input(Input.text("a.txt", "hello")).input(Input.bytes("b.bin", new byte[] {0, 1, (byte) 255}))
                .resources(new Resources(0.5, 256L << 20, 100, null)).maxDuration(Duration.ofSeconds(30))
                .kind(JobKind.FAST).priority(7).label("team", "x").network(NetworkMode.BRIDGE).build();
        Instant t = Instant.parse("2026-11-27T10:00:00.123Z");
        Job job = Job.queued(JobId.newId(), spec, t).toBuilder().state(JobState.RUNNING).attempt(2).workerId("w")
                .startedAt(t).enterPhase(Phase.PULLING_IMAGE, t).enterPhase(Phase.RUNNING, t.plusSeconds(1))
                .state(JobState.SUCCEEDED).exitCode(0).error(new JobError("E", "m"))
                .outputs(List.of(OutputFile.inline("o", new byte[] {1, 2, 3}, false), OutputFile.stored("p/q", 9, "jobs/x/q")))
                .stdout(OutputFile.inline("stdout", new byte[] {65}, true)).build().withVersion(4);
        String json = Json.write(job);
        assertThat(Json.read(json, Job.class)).isEqualTo(job);
    }

    @Test
    void specReadsFriendlyForms() {
        JobSpec spec = Json.read("""
                {"image":"busybox","command":["true"],"resources":{"cpus":2,"memory":"512m"},
                 "limits":{"maxDuration":"90s","maxQueued":"PT1H"},"kind":"FAST","inputs":[{"name":"x","value":"AQI=","encoding":"base64"}]}
                """, JobSpec.class);
        assertThat(spec.resources().memory()).isEqualTo(512L << 20);
        assertThat(spec.limits().maxDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(spec.limits().maxQueued()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.inputs().get(0).decodedValue()).containsExactly(1, 2);
    }

    @Test
    void invalidSpecInJsonSurfacesEveryProblem() {
        assertThatThrownBy(() -> Json.read("{\"image\":\"\",\"command\":[],\"inputs\":[{\"name\":\"../x\",\"value\":\"v\"}]}", JobSpec.class))
                .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void unknownFieldsAndMalformedJsonAreClearErrors() {
        assertThatThrownBy(() -> Json.read("{\"image\":\"busybox\",\"command\":[\"true\"],\"cmd\":[\"true\"]}", JobSpec.class))
                .isInstanceOf(CccException.class).hasMessageContaining("cmd");
        assertThatThrownBy(() -> Json.read("{\"image\":", JobSpec.class)).isInstanceOf(CccException.class);
        assertThatThrownBy(() -> Json.read("{\"image\":\"busybox\",\"command\":[\"true\"],\"limits\":{\"maxDuration\":\"soon\"}}", JobSpec.class))
                .isInstanceOf(CccException.class).hasMessageContaining("soon");
    }
}

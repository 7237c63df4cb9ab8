package io.ccc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobSpecTest {
    @Test
    void defaultsAreSafe() {
        JobSpec spec = JobSpec.builder("busybox").command("true").build();
        assertThat(spec.kind()).isEqualTo(JobKind.STANDARD);
        assertThat(spec.network()).isEqualTo(NetworkMode.NONE);
        assertThat(spec.resources().cpus()).isEqualTo(1.0);
        assertThat(spec.resources().memory()).isEqualTo(1L << 30);
        assertThat(spec.resources().pids()).isEqualTo(1024);
        assertThat(spec.limits().maxDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spec.retry().maxAttempts()).isEqualTo(3);
    }

    @Test
    void everyProblemIsReportedInOnePass() {
        InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class, () -> new JobSpec(
                " ", List.of(), null, "relative/dir",
                List.of(Input.text("../etc/passwd", "x"), Input.text("/abs", "x"), Input.text("a\0b", "x"),
                        Input.text("dup.txt", "1"), Input.text("dup.txt", "2"),
                        new Input("enc", "x", "hex", null, null), new Input("none", null, null, null, null),
                        new Input("two", "x", null, "k", null)),
                new Resources(0.0, 1L, 0, null), new Limits(Duration.ZERO, null), null, 5000, null,
                new RetryPolicy(0, null, null), null));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("image:"))
                .anyMatch(p -> p.startsWith("command:"))
                .anyMatch(p -> p.startsWith("workingDir:"))
                .anyMatch(p -> p.startsWith("inputs[0].name") && p.contains(".."))
                .anyMatch(p -> p.startsWith("inputs[1].name") && p.contains("absolute"))
                .anyMatch(p -> p.startsWith("inputs[2].name") && p.contains("NUL"))
                .anyMatch(p -> p.startsWith("inputs[4].name") && p.contains("duplicate"))
                .anyMatch(p -> p.startsWith("inputs[5].encoding"))
                .anyMatch(p -> p.startsWith("inputs[6]") && p.contains("exactly one"))
                .anyMatch(p -> p.startsWith("inputs[7]") && p.contains("exactly one"))
                .anyMatch(p -> p.startsWith("resources.cpus"))
                .anyMatch(p -> p.startsWith("resources.memory"))
                .anyMatch(p -> p.startsWith("resources.pids"))
                .anyMatch(p -> p.startsWith("limits.maxDuration"))
                .anyMatch(p -> p.startsWith("priority"))
                .anyMatch(p -> p.startsWith("retry.maxAttempts"));
        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void inlineInputsOverTheCapAreRefused() {
        byte[] big = new byte[(int) JobSpec.FAST_INLINE_LIMIT + 1];
        assertThatThrownBy(() -> JobSpec.builder("busybox").command("true").kind(JobKind.FAST).input(Input.bytes("big", big)).build())
                .isInstanceOf(InvalidJobSpecException.class).hasMessageContaining("over the FAST cap");
        // the same bytes are fine for a STANDARD job (they go to Storage)
        assertThat(JobSpec.builder("busybox").command("true").input(Input.bytes("big", big)).build().inlineBytes()).isEqualTo(big.length);
    }

    @Test
    void fastJobsTakeOnlyInlineInputsAndAreNeverRetried() {
        assertThatThrownBy(() -> JobSpec.builder("busybox").command("true").kind(JobKind.FAST).input(Input.fromStorage("a", "k/a")).build())
                .isInstanceOf(InvalidJobSpecException.class).hasMessageContaining("inline inputs only");
        JobSpec fast = JobSpec.builder("busybox").command("true").kind(JobKind.FAST).retry(RetryPolicy.attempts(5)).build();
        assertThat(fast.retry().maxAttempts()).isEqualTo(1);
    }

    @Test
    void inputNamesAreNormalized() {
        JobSpec spec = JobSpec.builder("busybox").command("true").input(Input.text("./a//b/./c.txt", "x")).build();
        assertThat(spec.inputs().get(0).name()).isEqualTo("a/b/c.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "local/busybox:1", "localhost:5000/a/b-c_d.e:v1.2", "ghcr.io/org/img@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void validImageReferences(String image) {
        assertThat(JobSpec.builder(image).command("true").build().image()).isEqualTo(image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPPER/case", "a b", "busybox:", "-x", "a//b", "busybox;rm"})
    void invalidImageReferences(String image) {
        assertThatThrownBy(() -> JobSpec.builder(image).command("true").build()).isInstanceOf(InvalidJobSpecException.class)
                .hasMessageContaining("image");
    }

    @Test
    void badLabelsAndEnvAreNamed() {
        InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class, () -> JobSpec.builder("busybox")
                .command("true").label("bad key!", "v").env("1X", "v").build());
        assertThat(e.problems()).anyMatch(p -> p.contains("labels")).anyMatch(p -> p.contains("env"));
    }

    @Test
    void nullElementsAreProblemsNotCrashes() {
        InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class, () -> new JobSpec("busybox",
                Arrays.asList("sh", null), null, null, Arrays.asList((Input) null), null, null, null, null, null, null, null));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("command[1]")).anyMatch(p -> p.startsWith("inputs[0]"));
    }
}

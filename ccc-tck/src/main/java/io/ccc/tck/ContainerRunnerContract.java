package io.ccc.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.engine.Tar;
import io.ccc.spi.ContainerExit;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.ContainerSpec;
import io.ccc.spi.ImageNotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The contract of {@link ContainerRunner}, against a real engine. Containers made here carry a test label. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContainerRunnerContract {
    protected static final String LABEL = "io.ccc.tck";
    protected ContainerRunner runner;
    private final String run = UUID.randomUUID().toString();
    private final List<String> created = new ArrayList<>();

    protected abstract ContainerRunner createRunner();

    /** A small local image with a POSIX shell (the project's scripts build local/busybox:1). */
    protected String image() {
        return "local/busybox:1";
    }

    @BeforeAll
    void openRunner() {
        runner = createRunner();
    }

    @AfterEach
    void removeContainers() {
        created.forEach(runner::remove);
        created.clear();
    }

    @AfterAll
    void closeRunner() {
        runner.removeContainers(LABEL, run::equals);
        runner.close();
    }

    protected String create(String script, long memory, Map<String, String> env) {
        Map<String, String> labels = new HashMap<>();
        labels.put(LABEL, run);
        String id = runner.create(new ContainerSpec(image(), List.of("sh", "-c", script), env, null, 1, memory, 64, "none", labels));
        created.add(id);
        return id;
    }

    protected String create(String script) {
        return create(script, 64L << 20, Map.of());
    }

    @Test
    void healthSaysReachable() {
        assertThat(runner.health().reachable()).isTrue();
    }

    @Test
    void runsWithFilesInAndOutAndSplitLogs() throws Exception {
        runner.pullIfMissing(image());
        String id = create("cat /inputs/in.txt > /outputs/copy.txt; mkdir -p /outputs/d; echo deep > /outputs/d/e.txt;"
                + " echo to-out; echo to-err >&2; echo $GREETING; exit 0", 64L << 20, Map.of("GREETING", "hej"));
        try (InputStream tar = Tar.stream(List.of(Tar.Entry.directory("inputs"), Tar.Entry.directory("outputs"),
                Tar.Entry.file("inputs/in.txt", "payload".getBytes(StandardCharsets.UTF_8))))) {
            runner.copyIn(id, "/", tar);
        }
        runner.start(id);
        assertThat(runner.await(id, Duration.ofSeconds(30))).contains(new ContainerExit(0, false));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        runner.logs(id, out, err, false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("to-out\nhej\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("to-err\n");

        Map<String, String> files = new HashMap<>();
        try (Tar.Reader reader = new Tar.Reader(runner.copyOut(id, "/outputs").orElseThrow())) {
            for (Tar.Reader.Header h = reader.next(); h != null; h = reader.next()) {
                if (h.type() == Tar.Reader.Type.FILE) {
                    files.put(h.name(), new String(reader.content().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(files).containsEntry("outputs/copy.txt", "payload").containsEntry("outputs/d/e.txt", "deep\n");
    }

    @Test
    void nonZeroExitCode() {
        String id = create("exit 7");
        runner.start(id);
        assertThat(runner.await(id, Duration.ofSeconds(30))).contains(new ContainerExit(7, false));
    }

    @Test
    void awaitTimesOutThenKillStopsIt() {
        String id = create("sleep 60");
        runner.start(id);
        assertThat(runner.await(id, Duration.ofMillis(500))).isEmpty();
        runner.kill(id);
        Optional<ContainerExit> exit = runner.await(id, Duration.ofSeconds(10));
        assertThat(exit).isPresent();
        assertThat(exit.get().exitCode()).isEqualTo(137);
    }

    @Test
    void memoryLimitIsEnforcedAndReportedAsOom() {
        // grows a shell variable well past 16 MiB
        String id = create("x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done", 16L << 20, Map.of());
        runner.start(id);
        Optional<ContainerExit> exit = runner.await(id, Duration.ofSeconds(60));
        assertThat(exit).isPresent();
        assertThat(exit.get().oomKilled()).isTrue();
    }

    @Test
    void missingPathCopiesOutNothing() {
        String id = create("true");
        assertThat(runner.copyOut(id, "/no/such/dir")).isEmpty();
    }

    @Test
    void unknownImageIsNotFound() {
        assertThatThrownBy(() -> runner.pullIfMissing("local/ccc-no-such-image:404")).isInstanceOf(ImageNotFoundException.class)
                .satisfies(e -> assertThat(((ImageNotFoundException) e).retryable()).isFalse());
    }

    @Test
    void removeIsIdempotentAndListingFollowsLabels() {
        String id = create("true");
        assertThat(runner.containers(Map.of(LABEL, run))).contains(id);
        runner.remove(id);
        runner.remove(id);
        assertThat(runner.containers(Map.of(LABEL, run))).doesNotContain(id);
    }

    @Test
    void removeContainersByDeadLabel() {
        String id = create("sleep 30");
        runner.start(id);
        int removed = runner.removeContainers(LABEL, run::equals);
        assertThat(removed).isGreaterThanOrEqualTo(1);
        assertThat(runner.containers(Map.of(LABEL, run))).isEmpty();
    }
}

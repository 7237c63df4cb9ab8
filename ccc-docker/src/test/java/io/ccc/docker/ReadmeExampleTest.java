package io.ccc.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.Ccc;
import io.ccc.Input;
import io.ccc.Job;
import io.ccc.JobSpec;
import io.ccc.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the README's embedding example as written, and checks the README still shows exactly this code. */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleRunsAsWritten() throws Exception {
        Path data = Files.createTempDirectory("ccc-readme");
        System.setProperty("ccc.storage.dir", data.toString());
        java.io.PrintStream console = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true));
        try {
            // README-BEGIN
            try (Ccc ccc = Ccc.builder().build()) {
                Job job = ccc.run(JobSpec.builder("local/busybox:1")
                        .command("sh", "-c", "wc -w < /inputs/words.txt > /outputs/count.txt")
                        .input(Input.text("words.txt", "three little words"))
                        .build(), Duration.ofMinutes(1));
                String count = new String(ccc.openOutput(job.id(), "count.txt").readAllBytes());
                System.out.println(job.state() + " " + count); // SUCCEEDED 3
            }
            // README-END
        } finally {
            System.setOut(console);
            System.clearProperty("ccc.storage.dir");
        }
        assertThat(printed.toString().trim()).isEqualTo(JobState.SUCCEEDED + " 3");

        List<String> lines = Files.readAllLines(Path.of("src/test/java/io/ccc/docker/ReadmeExampleTest.java"));
        List<String> snippet = lines.subList(lines.indexOf("            // README-BEGIN") + 1, lines.indexOf("            // README-END"))
                .stream().map(l -> l.substring(12)).toList();
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README.md shows the example exactly").contains(String.join("\n", snippet));
        assertThat(snippet.size()).isLessThanOrEqualTo(10);
    }
}

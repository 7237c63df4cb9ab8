package io.ccc.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.Ccc;
import io.ccc.Input;
import io.ccc.Job;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.OutputFile;
import io.ccc.Resources;
import io.ccc.docker.DockerContainerRunner;
import io.ccc.embedded.InMemoryJobStore;
import io.ccc.embedded.InMemoryQueue;
import io.ccc.engine.WorkerConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Outputs go container → S3 as streams, and clients outside the JVM read them. Runs with -Xmx128m (see the pom). */
@Timeout(600)
class S3OutputsTest {
    private static final Logger LOG = LoggerFactory.getLogger(S3OutputsTest.class);
    private S3Config config;
    private S3Storage storage;
    private DockerContainerRunner runner;
    private Ccc ccc;

    @BeforeEach
    void setUp() {
        config = S3TestSupport.newBucket();
        storage = new S3Storage(config);
        runner = DockerContainerRunner.create();
        ccc = Ccc.builder().queue(new InMemoryQueue()).jobStore(new InMemoryJobStore()).storage(storage).containerRunner(runner)
                .workerConfig(WorkerConfig.defaults().withSlots(1)).build();
    }

    @AfterEach
    void tearDown() {
        ccc.close();
        runner.close();
        storage.close();
    }

    @Test
    void a200MiBOutputStreamsToS3AndComesBackByteExactThroughAPresignedUrl() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Job job;
        try {
            job = ccc.run(JobSpec.builder("local/busybox:1")
                    .command("sh", "-c", "dd if=/dev/urandom of=/outputs/big.bin bs=1048576 count=200 2>/dev/null;"
                            + " sha256sum /outputs/big.bin | cut -d' ' -f1 > /outputs/big.sha256")
                    .resources(Resources.of(1, 256L << 20)).maxDuration(Duration.ofMinutes(5)).build(), Duration.ofMinutes(8));
        } finally {
            sampler.interrupt();
        }
        long growth = peak.get() - baseline;
        LOG.info("200 MiB output: heap baseline {} MiB, peak {} MiB, growth {} MiB (max heap {} MiB)", baseline >> 20, peak.get() >> 20,
                growth >> 20, Runtime.getRuntime().maxMemory() >> 20);
        assertThat(job.state()).as("%s", job).isEqualTo(JobState.SUCCEEDED);
        OutputFile big = job.output("big.bin").orElseThrow();
        assertThat(big.size()).isEqualTo(200L << 20);
        assertThat(Runtime.getRuntime().maxMemory()).as("the test JVM's heap is smaller than the file").isLessThan(big.size());
        assertThat(growth).isLessThan(64L << 20);

        String expected;
        try (var in = ccc.openOutput(job.id(), "big.sha256")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        // outside the JVM: curl fetches the presigned URL, sha256sum hashes it
        URI url = storage.url(big.key(), Duration.ofMinutes(10)).orElseThrow();
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "curl -sf \"$URL\" | sha256sum | cut -d' ' -f1").redirectErrorStream(true);
        pb.environment().put("URL", url.toString());
        Process curl = pb.start();
        String actual = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(curl.waitFor()).isZero();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void objectsAreReadableByBoto3() throws Exception {
        Job job = ccc.run(JobSpec.builder("local/busybox:1").command("sh", "-c", "mkdir -p /outputs/d; cat /inputs/in.txt > /outputs/d/out.txt; echo logged")
                .input(Input.text("in.txt", "from the jvm")).build(), Duration.ofMinutes(2));
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        String script = """
                import boto3, json, os
                s3 = boto3.client('s3', endpoint_url=os.environ['EP'], aws_access_key_id='%s', aws_secret_access_key='%s', region_name='us-east-1')
                keys = sorted(o['Key'] for o in s3.list_objects_v2(Bucket=os.environ['B'], Prefix='jobs/' + os.environ['J'] + '/').get('Contents', []))
                out = s3.get_object(Bucket=os.environ['B'], Key=os.environ['K'])['Body'].read().decode()
                result = json.loads(s3.get_object(Bucket=os.environ['B'], Key='jobs/' + os.environ['J'] + '/result.json')['Body'].read())
                print(json.dumps({'keys': keys, 'out': out, 'state': result['state']}))
                """.formatted(S3TestSupport.ID, S3TestSupport.SECRET);
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("EP", config.endpoint().orElseThrow().toString(), "B", config.bucket(),
                "J", job.id().value(), "K", job.output("d/out.txt").orElseThrow().key()));
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(printed).isZero();
        var seen = io.ccc.Json.mapper().readTree(printed);
        assertThat(seen.get("out").asText()).isEqualTo("from the jvm");
        assertThat(seen.get("state").asText()).isEqualTo("SUCCEEDED");
        List<String> keys = new java.util.ArrayList<>();
        seen.get("keys").forEach(k -> keys.add(k.asText()));
        String id = job.id().value();
        assertThat(keys).contains("jobs/" + id + "/attempts/1/outputs/d/out.txt",
                "jobs/" + id + "/attempts/1/stdout", "jobs/" + id + "/attempts/1/stderr", "jobs/" + id + "/result.json");
    }
}

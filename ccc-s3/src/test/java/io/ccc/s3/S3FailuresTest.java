package io.ccc.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.Ccc;
import io.ccc.Job;
import io.ccc.JobSpec;
import io.ccc.JobState;
import io.ccc.Phase;
import io.ccc.RetryPolicy;
import io.ccc.docker.DockerContainerRunner;
import io.ccc.embedded.InMemoryJobStore;
import io.ccc.embedded.InMemoryQueue;
import io.ccc.engine.WorkerConfig;
import io.ccc.spi.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Wrong credentials, a missing bucket, an unreachable or vanishing store: clear errors, nothing half-written. */
@Timeout(300)
class S3FailuresTest {
    private Process proxy;

    @AfterEach
    void stopProxy() throws InterruptedException {
        if (proxy != null) {
            proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void wrongCredentialsFailAtStart() {
        S3Config config = S3TestSupport.newBucket().withCredentials(S3TestSupport.ID, "not-the-secret");
        assertThatThrownBy(() -> new S3Storage(config)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.code()).isEqualTo("STORAGE_UNUSABLE");
            assertThat(e.retryable()).isFalse();
        }).hasMessageContaining("denied");
    }

    @Test
    void aMissingBucketFailsAtStart() {
        S3Config config = S3TestSupport.newBucket().withBucket("ccc-no-such-bucket-404");
        assertThatThrownBy(() -> new S3Storage(config)).isInstanceOf(StorageException.class)
                .hasMessageContaining("ccc-no-such-bucket-404 does not exist");
    }

    @Test
    void anUnreachableEndpointFailsAtStartAsRetryable() throws IOException {
        URI nowhere = URI.create("http://127.0.0.1:" + freePort());
        S3Config config = S3Config.forEndpoint(nowhere, "ccc-any-bucket", S3TestSupport.ID, S3TestSupport.SECRET).withMaxAttempts(1);
        assertThatThrownBy(() -> new S3Storage(config)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.retryable()).isTrue()).hasMessageContaining("cannot reach");
    }

    @Test
    void aStoreStoppedMidUploadLeavesNoObject() throws Exception {
        int port = freePort();
        Path data = Files.createTempDirectory("ccc-s3proxy");
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        proxy = startProxy(port, data);
        S3Config config = S3TestSupport.newBucket(endpoint).withMaxAttempts(2);
        CountDownLatch halfway = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            long produced;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= (60L << 20)) {
                    return -1;
                }
                if (produced >= (20L << 20)) {
                    halfway.countDown();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int n = (int) Math.min(len, 65536);
                produced += n;
                return n;
            }
        };
        try (S3Storage storage = new S3Storage(config)) {
            CompletableFuture<Long> upload = CompletableFuture.supplyAsync(() -> storage.put("jobs/x/big.bin", slow, -1));
            assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
            proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> upload.get(120, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);
        }
        proxy = startProxy(port, data);
        try (S3Storage storage = new S3Storage(config)) {
            assertThat(storage.stat("jobs/x/big.bin")).isEmpty();
            assertThat(storage.list("jobs/")).isEmpty();
        }
    }

    @Test
    void aPermanentStorageFailureIsTheJobsErrorWithTheS3Message() throws Exception {
        S3Config config = S3TestSupport.newBucket();
        try (S3Storage storage = new S3Storage(config); DockerContainerRunner runner = DockerContainerRunner.create();
             Ccc ccc = Ccc.builder().queue(new InMemoryQueue()).jobStore(new InMemoryJobStore()).storage(storage).containerRunner(runner)
                     .workerConfig(WorkerConfig.defaults().withSlots(1)).build()) {
            Job job = ccc.submit(JobSpec.builder("local/busybox:1").command("sh", "-c", "sleep 2; echo x > /outputs/a.txt")
                    .retry(RetryPolicy.attempts(3)).build());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ccc.require(job.id()).phase() != Phase.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            try (var s3 = S3TestSupport.adminClient(config.endpoint().orElseThrow())) {
                s3.deleteBucket(b -> b.bucket(config.bucket())); // the bucket vanishes under the running job
            }
            Job done = ccc.await(job.id(), Duration.ofMinutes(2));
            assertThat(done.state()).isEqualTo(JobState.ERROR);
            assertThat(done.attempt()).as("permanent: not retried").isEqualTo(1);
            assertThat(done.error().message()).contains("404").contains("NoSuchBucket");
        }
    }

    private static Process startProxy(int port, Path data) throws Exception {
        Path conf = data.resolve("s3proxy.conf");
        Files.createDirectories(data.resolve("blobs"));
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + S3TestSupport.ID,
                "s3proxy.credential=" + S3TestSupport.SECRET,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data.resolve("blobs")));
        String jar = System.getProperty("ccc.test.s3proxy.jar");
        assertThat(jar).as("ccc.test.s3proxy.jar (scripts/test-env.sh downloads it)").isNotNull();
        assertThat(Path.of(jar)).exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "--properties", conf.toString()).redirectErrorStream(true)
                .redirectOutput(data.resolve("s3proxy-" + System.nanoTime() + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IllegalStateException("s3proxy did not start on " + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

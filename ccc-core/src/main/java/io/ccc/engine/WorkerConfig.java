package io.ccc.engine;

import io.ccc.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Immutable worker settings. {@link #fromConfig(Config)} reads the {@code worker.*} keys; every default is
 * listed in the README's configuration table.
 *
 * @param slots            cpu slots; a job reserves its cpus rounded up
 * @param leaseTime        how long a lease lasts without renewal; renewed every third of it
 * @param pollWait         how long one blocking poll waits before the loop checks its state again
 * @param diskThreshold    fraction of the engine's disk above which the worker stops taking jobs
 * @param fastOutputLimit  total bytes of a FAST job's outputs (they travel inline)
 * @param fastLogLimit     bytes of a FAST job's stdout and of its stderr kept; the rest is cut (truncated=true)
 * @param shutdownGrace    how long close() lets running jobs finish before it gives them back to the queue
 * @param instanceId       the cloud instance this worker runs on, reported for scalers (may be null)
 */
public record WorkerConfig(String id, int slots, Duration leaseTime, Duration pollWait, Duration heartbeatInterval,
                           Duration healthInterval, double diskThreshold, Path tempDir, long fastOutputLimit,
                           long fastLogLimit, Duration shutdownGrace, String instanceId) {
    public WorkerConfig {
        Objects.requireNonNull(id, "id");
        if (slots < 1) {
            throw new IllegalArgumentException("worker slots must be >= 1, got " + slots);
        }
        if (leaseTime.toMillis() < 300) {
            throw new IllegalArgumentException("worker lease time must be >= 300ms, got " + leaseTime);
        }
    }

    public static WorkerConfig defaults() {
        return fromConfig(Config.of(java.util.Map.of()));
    }

    public static WorkerConfig fromConfig(Config c) {
        return new WorkerConfig(
                c.get("worker.id", defaultId()),
                c.getInt("worker.slots", Runtime.getRuntime().availableProcessors()),
                c.getDuration("worker.lease-time", Duration.ofSeconds(30)),
                c.getDuration("worker.poll-wait", Duration.ofSeconds(5)),
                c.getDuration("worker.heartbeat-interval", Duration.ofSeconds(5)),
                c.getDuration("worker.health-interval", Duration.ofSeconds(10)),
                c.getDouble("worker.disk-threshold", 0.90),
                Path.of(c.get("worker.temp-dir", Path.of(System.getProperty("java.io.tmpdir"), "ccc-worker").toString())),
                c.getBytes("worker.fast-output-limit", 8L << 20),
                c.getBytes("worker.fast-log-limit", 1L << 20),
                c.getDuration("worker.shutdown-grace", Duration.ofSeconds(30)),
                c.get("worker.instance-id").map(WorkerConfig::instanceId).orElse(null));
    }

    /** "ec2" means: ask the EC2 instance metadata service (IMDSv2) for this machine's instance id. */
    private static String instanceId(String setting) {
        if (!setting.equals("ec2")) {
            return setting;
        }
        try {
            var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String token = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://169.254.169.254/latest/api/token"))
                    .timeout(Duration.ofSeconds(2)).header("X-aws-ec2-metadata-token-ttl-seconds", "60")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://169.254.169.254/latest/meta-data/instance-id"))
                    .timeout(Duration.ofSeconds(2)).header("X-aws-ec2-metadata-token", token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body().trim();
        } catch (java.io.IOException | InterruptedException e) {
            throw new io.ccc.CccException("INVALID_CONFIG", "worker.instance-id=ec2 but the instance metadata service did not answer: " + e, false, e);
        }
    }

    /** host-pid-random: the pid lets a worker on the same host tell a dead worker's containers from a live one's. */
    public static String defaultId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        return host + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    public WorkerConfig withId(String id) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }

    public WorkerConfig withSlots(int slots) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }

    public WorkerConfig withLeaseTime(Duration leaseTime) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }

    public WorkerConfig withPollWait(Duration pollWait) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }

    public WorkerConfig withShutdownGrace(Duration shutdownGrace) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }

    public WorkerConfig withTempDir(Path tempDir) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }

    public WorkerConfig withHeartbeatInterval(Duration heartbeatInterval) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }

    public WorkerConfig withDiskThreshold(double diskThreshold) {
        return new WorkerConfig(id, slots, leaseTime, pollWait, heartbeatInterval, healthInterval, diskThreshold, tempDir,
                fastOutputLimit, fastLogLimit, shutdownGrace, instanceId);
    }
}

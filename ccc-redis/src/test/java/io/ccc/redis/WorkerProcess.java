package io.ccc.redis;

import io.ccc.engine.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A worker JVM ({@link WorkerMain}) started by a test, configured through its environment like a real one. */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    final Path log;

    WorkerProcess(Map<String, String> env, Path log) throws IOException {
        this.log = log;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.showDateTime=true", WorkerMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        process = pb.start();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: graceful
        if (!process.waitFor(Duration.ofSeconds(40).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }

    static Map<String, String> env(String redisUri, String prefix, File storageDir, int slots, String leaseTime) {
        return Map.of(
                "CCC_QUEUE", "redis",
                "CCC_STORE", "redis",
                "CCC_REDIS_URI", redisUri,
                "CCC_REDIS_PREFIX", prefix,
                "CCC_STORAGE_DIR", storageDir.getAbsolutePath(),
                "CCC_WORKER_SLOTS", String.valueOf(slots),
                "CCC_WORKER_LEASE_TIME", leaseTime,
                "CCC_WORKER_POLL_WAIT", "2s",
                "CCC_WORKER_HEARTBEAT_INTERVAL", "1s",
                "CCC_WORKER_SHUTDOWN_GRACE", "20s");
    }
}

package io.ccc.scaling;

import io.ccc.CccException;
import io.ccc.Config;
import io.ccc.engine.WorkerMain;
import io.ccc.spi.Scaler;
import io.ccc.spi.ScalerProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of worker processes on this machine ({@link WorkerMain} JVMs sharing this process's classpath and
 * configuration), so scaling can be watched end to end without a cloud. Each worker gets an instance id
 * ({@code local-N}) that it reports in its heartbeat; terminating one sends it SIGTERM (a graceful stop).
 */
public final class LocalScaler implements Scaler {
    private static final Logger LOG = LoggerFactory.getLogger(LocalScaler.class);

    private final Map<String, String> env;
    private final int min;
    private final int max;
    private final Path logDir;
    private final Map<String, Process> workers = new LinkedHashMap<>();
    private final Map<String, Instant> launched = new LinkedHashMap<>();
    private int serial;

    /**
     * @param env environment for the worker processes (their CCC_* configuration: queue, store, storage, …)
     */
    public LocalScaler(Map<String, String> env, int min, int max, Path logDir) {
        this.env = Map.copyOf(env);
        this.min = min;
        this.max = max;
        this.logDir = logDir;
    }

    @Override
    public synchronized Fleet fleet() {
        workers.values().removeIf(p -> !p.isAlive());
        launched.keySet().retainAll(workers.keySet());
        List<Instance> instances = new ArrayList<>();
        workers.forEach((id, p) -> instances.add(new Instance(id, true, false, launched.get(id))));
        return new Fleet(workers.size(), min, max, instances);
    }

    @Override
    public synchronized void setDesiredCapacity(int desired) {
        fleet();
        int target = Math.max(min, Math.min(max, desired));
        while (workers.size() < target) {
            launch();
        }
        // shrinking by count (not by name) takes the newest: the loop shrinks by name, through terminate()
        List<String> ids = new ArrayList<>(workers.keySet());
        for (int i = ids.size() - 1; workers.size() > target && i >= 0; i--) {
            terminate(ids.get(i), false);
        }
    }

    private void launch() {
        String id = "local-" + (++serial);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName())
                .redirectErrorStream(true).redirectOutput(logDir.resolve(id + ".log").toFile());
        pb.environment().putAll(env);
        pb.environment().put("CCC_WORKER_INSTANCE_ID", id);
        try {
            workers.put(id, pb.start());
            launched.put(id, Instant.now());
            LOG.info("started local worker {}", id);
        } catch (IOException e) {
            throw new CccException("SCALER_ERROR", "cannot start a worker process: " + e.getMessage(), true, e);
        }
    }

    @Override
    public synchronized void terminate(String instanceId, boolean decrement) {
        Process p = workers.remove(instanceId);
        launched.remove(instanceId);
        if (p != null) {
            p.destroy(); // SIGTERM: the worker finishes what it runs within its grace
            LOG.info("stopping local worker {}", instanceId);
        }
        if (!decrement) {
            launch();
        }
    }

    @Override
    public void protect(String instanceId, boolean busy) {
        // nothing here picks victims by itself: workers are only ever stopped by name
    }

    @Override
    public synchronized void close() {
        workers.values().forEach(Process::destroy);
        for (Process p : workers.values()) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    /** {@code scaler=local}: worker processes configured like this one (every CCC_* variable is passed on). */
    public static final class Provider implements ScalerProvider {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public boolean configured(Config config) {
            return false; // only when asked for by name
        }

        @Override
        public Scaler create(Config config) {
            Map<String, String> env = new LinkedHashMap<>();
            System.getenv().forEach((k, v) -> {
                if (k.startsWith("CCC_") || k.startsWith("REDIS_") || k.startsWith("AWS_")) {
                    env.put(k, v);
                }
            });
            env.remove("CCC_SCALER");
            env.put("CCC_SERVER_MODE", "worker");
            return new LocalScaler(env, config.getInt("scaler.min", 0), config.getInt("scaler.max", 4),
                    new File(config.get("scaler.log-dir", System.getProperty("java.io.tmpdir"))).toPath());
        }
    }
}

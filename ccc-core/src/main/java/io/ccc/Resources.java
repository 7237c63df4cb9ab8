package io.ccc;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.ccc.internal.ByteSizeDeserializer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job's container may use. Every container runs with these limits; unset fields get safe defaults:
 * 1 cpu, 1 GiB memory (no swap on top), 1024 processes.
 *
 * @param cpus   cpu cores (fractions allowed); also the worker slots the job reserves (rounded up)
 * @param memory bytes; JSON also takes "512m", "2g"
 * @param pids   maximum processes/threads in the container
 * @param gpus   reserved for GPU-capable runners; must be 0 for now
 */
public record Resources(Double cpus, @JsonDeserialize(using = ByteSizeDeserializer.class) Long memory, Integer pids, Integer gpus) {
    public static final double DEFAULT_CPUS = 1;
    public static final long DEFAULT_MEMORY = 1L << 30;
    public static final int DEFAULT_PIDS = 1024;
    public static final Resources DEFAULT = new Resources(null, null, null, null);

    public Resources {
        cpus = cpus == null ? DEFAULT_CPUS : cpus;
        memory = memory == null ? DEFAULT_MEMORY : memory;
        pids = pids == null ? DEFAULT_PIDS : pids;
        gpus = gpus == null ? 0 : gpus;
    }

    public static Resources of(double cpus, long memory) {
        return new Resources(cpus, memory, null, null);
    }

    /** Worker slots this job takes: its cpus rounded up, at least 1. */
    public int slots() {
        return Math.max(1, (int) Math.ceil(cpus));
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!(cpus > 0) || cpus > 1024) {
            problems.add("resources.cpus: must be > 0 and <= 1024, got " + cpus);
        }
        if (memory < 6L * 1024 * 1024) {
            problems.add("resources.memory: must be at least 6 MiB (the engine's minimum), got " + memory);
        }
        if (pids < 1) {
            problems.add("resources.pids: must be >= 1, got " + pids);
        }
        if (gpus != 0) {
            problems.add("resources.gpus: GPUs are not supported yet, got " + gpus);
        }
        return problems;
    }
}

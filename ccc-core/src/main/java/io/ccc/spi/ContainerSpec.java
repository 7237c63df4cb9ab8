package io.ccc.spi;

import java.util.List;
import java.util.Map;

/**
 * A container to create: always with limits, never privileged, never with a host mount.
 *
 * @param network "none" or "bridge"
 */
public record ContainerSpec(String image, List<String> command, Map<String, String> env, String workingDir,
                            double cpus, long memoryBytes, int pids, String network, Map<String, String> labels) {
    public ContainerSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
    }
}

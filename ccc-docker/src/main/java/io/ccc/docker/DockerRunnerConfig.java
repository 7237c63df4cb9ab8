package io.ccc.docker;

import io.ccc.Config;
import java.time.Duration;

/**
 * Settings of {@link DockerContainerRunner}.
 *
 * @param host engine address: {@code docker.host}, else {@code DOCKER_HOST}, else the local unix socket
 */
public record DockerRunnerConfig(String host, Duration connectTimeout, Duration pullTimeout, int maxConnections) {
    public static DockerRunnerConfig defaults() {
        return fromConfig(Config.of(java.util.Map.of()));
    }

    public static DockerRunnerConfig fromConfig(Config c) {
        String env = System.getenv("DOCKER_HOST");
        return new DockerRunnerConfig(
                c.get("docker.host", env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock"),
                c.getDuration("docker.connect-timeout", Duration.ofSeconds(10)),
                c.getDuration("docker.pull-timeout", Duration.ofMinutes(10)),
                c.getInt("docker.max-connections", 100));
    }
}

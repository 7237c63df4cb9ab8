package io.ccc.docker;

import io.ccc.Config;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.ContainerRunnerProvider;

/** ServiceLoader entry: {@code runner=docker}. */
public final class DockerContainerRunnerProvider implements ContainerRunnerProvider {
    @Override
    public String name() {
        return "docker";
    }

    @Override
    public ContainerRunner create(Config config) {
        return new DockerContainerRunner(DockerRunnerConfig.fromConfig(config));
    }
}

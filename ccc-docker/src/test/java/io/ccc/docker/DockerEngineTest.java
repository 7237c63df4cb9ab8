package io.ccc.docker;

import io.ccc.spi.ContainerRunner;
import io.ccc.tck.EngineContract;

/** The end-to-end engine suite: embedded queue, job store and storage, real Docker engine. */
class DockerEngineTest extends EngineContract {
    @Override
    protected ContainerRunner createRunner() {
        return DockerContainerRunner.create();
    }
}

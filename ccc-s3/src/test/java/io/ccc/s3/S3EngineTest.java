package io.ccc.s3;

import io.ccc.docker.DockerContainerRunner;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.Storage;
import io.ccc.tck.EngineContract;
import java.nio.file.Path;

/** The end-to-end engine suite with S3Storage on s3proxy and the real Docker engine. */
class S3EngineTest extends EngineContract {
    @Override
    protected ContainerRunner createRunner() {
        return DockerContainerRunner.create();
    }

    @Override
    protected Storage createStorage(Path dir) {
        return new S3Storage(S3TestSupport.newBucket());
    }
}

package io.ccc.redis;

import io.ccc.docker.DockerContainerRunner;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.JobStore;
import io.ccc.spi.Queue;
import io.ccc.tck.EngineContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The end-to-end engine suite with Redis queue and job store, real Docker engine, local storage. */
class RedisEngineTest extends EngineContract {
    private final List<String> prefixes = new ArrayList<>();
    private String prefix;

    @Override
    protected ContainerRunner createRunner() {
        return DockerContainerRunner.create();
    }

    @Override
    protected Queue createQueue() {
        prefix = RedisTestSupport.newPrefix();
        prefixes.add(prefix);
        return new RedisQueue(RedisTestSupport.config(prefix));
    }

    @Override
    protected JobStore createStore() {
        return new RedisJobStore(RedisTestSupport.config(prefix));
    }

    @AfterAll
    void deleteKeys() {
        prefixes.forEach(RedisTestSupport::deleteAll);
    }
}

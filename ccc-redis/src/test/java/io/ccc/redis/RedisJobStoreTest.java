package io.ccc.redis;

import io.ccc.spi.JobStore;
import io.ccc.tck.JobStoreContract;
import org.junit.jupiter.api.AfterEach;

class RedisJobStoreTest extends JobStoreContract {
    private String prefix;

    @Override
    protected JobStore createStore() {
        prefix = RedisTestSupport.newPrefix();
        return new RedisJobStore(RedisTestSupport.config(prefix));
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteAll(prefix);
    }
}

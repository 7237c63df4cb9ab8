package io.ccc.redis;

import io.ccc.spi.JobStore;
import io.ccc.spi.Queue;
import io.ccc.tck.QueueContract;
import org.junit.jupiter.api.AfterEach;

class RedisQueueTest extends QueueContract {
    private String prefix;

    @Override
    protected Queue createQueue() {
        prefix = RedisTestSupport.newPrefix();
        return new RedisQueue(RedisTestSupport.config(prefix));
    }

    @Override
    protected JobStore createStore() {
        return new RedisJobStore(RedisTestSupport.config(prefix));
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteAll(prefix);
    }
}

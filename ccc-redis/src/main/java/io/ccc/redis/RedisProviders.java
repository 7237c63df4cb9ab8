package io.ccc.redis;

import io.ccc.Config;
import io.ccc.spi.JobStore;
import io.ccc.spi.JobStoreProvider;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueProvider;

/** ServiceLoader entries: {@code queue=redis}, {@code store=redis}. */
public final class RedisProviders {
    private RedisProviders() {
    }

    public static final class RedisQueueProvider implements QueueProvider {
        @Override
        public String name() {
            return "redis";
        }

        @Override
        public boolean configured(Config config) {
            return RedisConfig.isConfigured(config);
        }

        @Override
        public Queue create(Config config) {
            return new RedisQueue(RedisConfig.fromConfig(config));
        }
    }

    public static final class RedisJobStoreProvider implements JobStoreProvider {
        @Override
        public String name() {
            return "redis";
        }

        @Override
        public boolean configured(Config config) {
            return RedisConfig.isConfigured(config);
        }

        @Override
        public JobStore create(Config config) {
            return new RedisJobStore(RedisConfig.fromConfig(config));
        }
    }
}

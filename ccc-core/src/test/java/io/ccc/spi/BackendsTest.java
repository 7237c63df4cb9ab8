package io.ccc.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.CccException;
import io.ccc.Config;
import io.ccc.embedded.InMemoryQueue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendsTest {
    static class P implements QueueProvider {
        private final String name;
        private final boolean embedded;

        P(String name, boolean embedded) {
            this.name = name;
            this.embedded = embedded;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean embedded() {
            return embedded;
        }

        @Override
        public Queue create(Config config) {
            return new InMemoryQueue();
        }
    }

    private static final P MEMORY = new P("memory", true);
    private static final P REDIS = new P("redis", false);
    private static final P OTHER = new P("other", false);
    private static final Config NONE = Config.of(Map.of());

    @Test
    void embeddedWhenAlone() {
        assertThat(Backends.select(QueueProvider.class, "queue", NONE, List.of(MEMORY))).contains(MEMORY);
    }

    @Test
    void theOnlyExternalOneWins() {
        assertThat(Backends.select(QueueProvider.class, "queue", NONE, List.of(MEMORY, REDIS))).contains(REDIS);
    }

    @Test
    void twoExternalOnesAreAnErrorNamingThemAndTheSetting() {
        assertThatThrownBy(() -> Backends.select(QueueProvider.class, "queue", NONE, List.of(MEMORY, REDIS, OTHER)))
                .isInstanceOf(CccException.class).hasMessageContaining("redis").hasMessageContaining("other")
                .hasMessageContaining("queue=<name>").hasMessageContaining("CCC_QUEUE");
    }

    @Test
    void anUnconfiguredExternalProviderIsNotPickedByDefault() {
        P needsSettings = new P("redis", false) {
            @Override
            public boolean configured(Config config) {
                return config.get("redis.uri").isPresent();
            }
        };
        assertThat(Backends.select(QueueProvider.class, "queue", NONE, List.of(MEMORY, needsSettings))).contains(MEMORY);
        assertThat(Backends.select(QueueProvider.class, "queue", Config.of(Map.of("redis.uri", "redis://x")), List.of(MEMORY, needsSettings)))
                .contains(needsSettings);
    }

    @Test
    void configurationChooses() {
        Config c = Config.of(Map.of("queue", "memory"));
        assertThat(Backends.select(QueueProvider.class, "queue", c, List.of(MEMORY, REDIS, OTHER))).contains(MEMORY);
        assertThatThrownBy(() -> Backends.select(QueueProvider.class, "queue", Config.of(Map.of("queue", "nope")), List.of(MEMORY)))
                .isInstanceOf(CccException.class).hasMessageContaining("nope").hasMessageContaining("memory");
    }

    @Test
    void serviceLoaderFindsTheEmbeddedBackends() {
        assertThat(Backends.select(QueueProvider.class, "queue", NONE)).map(QueueProvider::name).contains("memory");
        assertThat(Backends.select(JobStoreProvider.class, "store", NONE)).map(JobStoreProvider::name).contains("memory");
        assertThat(Backends.select(StorageProvider.class, "storage", NONE)).map(StorageProvider::name).contains("local");
        assertThat(Backends.select(ContainerRunnerProvider.class, "runner", NONE)).isEmpty();
    }
}

package io.ccc.embedded;

import io.ccc.Config;
import io.ccc.spi.JobStore;
import io.ccc.spi.JobStoreProvider;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueProvider;
import io.ccc.spi.Storage;
import io.ccc.spi.StorageProvider;
import java.nio.file.Path;

/** ServiceLoader entries for the embedded backends: used when nothing else is on the classpath. */
public final class EmbeddedProviders {
    private EmbeddedProviders() {
    }

    public static final class MemoryQueue implements QueueProvider {
        @Override public String name() { return "memory"; }
        @Override public boolean embedded() { return true; }
        @Override public Queue create(Config config) { return new InMemoryQueue(); }
    }

    public static final class MemoryJobStore implements JobStoreProvider {
        @Override public String name() { return "memory"; }
        @Override public boolean embedded() { return true; }
        @Override public JobStore create(Config config) { return new InMemoryJobStore(); }
    }

    /** Files under {@code storage.dir} (default {@code ./ccc-data/storage}). */
    public static final class LocalFiles implements StorageProvider {
        @Override public String name() { return "local"; }
        @Override public boolean embedded() { return true; }
        @Override public Storage create(Config config) {
            return new LocalStorage(Path.of(config.get("storage.dir", "ccc-data/storage")));
        }
    }
}

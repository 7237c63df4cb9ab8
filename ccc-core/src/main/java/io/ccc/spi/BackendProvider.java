package io.ccc.spi;

import io.ccc.Config;

/**
 * Creates one kind of backend; implementations are found with {@link java.util.ServiceLoader}.
 * The configuration names the provider to use (e.g. {@code queue=redis}); see {@link Backends}.
 */
public interface BackendProvider<T extends AutoCloseable> {
    /** Short name used in configuration, e.g. "redis", "memory", "docker". */
    String name();

    /** Embedded providers ship in ccc-core and are used only when nothing else is on the classpath. */
    default boolean embedded() {
        return false;
    }

    T create(Config config);
}

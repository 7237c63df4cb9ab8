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

    /**
     * Whether the configuration says enough to use this provider without naming it (e.g. a Redis URI is
     * set). An unconfigured external provider on the classpath is not picked by default, so putting a
     * backend's jar on the classpath never breaks a setup that does not use it.
     */
    default boolean configured(Config config) {
        return true;
    }

    T create(Config config);
}

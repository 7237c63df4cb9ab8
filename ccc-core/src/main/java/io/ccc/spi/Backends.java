package io.ccc.spi;

import io.ccc.CccException;
import io.ccc.Config;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Picks a backend provider: the one the configuration names, else the only non-embedded one on the
 * classpath whose settings are present ({@link BackendProvider#configured}), else the embedded one.
 * Ambiguity is an error that names the candidates and the setting.
 */
public final class Backends {
    private Backends() {
    }

    public static <P extends BackendProvider<?>> Optional<P> select(Class<P> type, String key, Config config) {
        List<P> all = ServiceLoader.load(type, Backends.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
        return select(type, key, config, all);
    }

    static <P extends BackendProvider<?>> Optional<P> select(Class<P> type, String key, Config config, List<P> all) {
        Optional<String> wanted = config.get(key);
        if (wanted.isPresent()) {
            return Optional.of(all.stream().filter(p -> p.name().equals(wanted.get())).findFirst().orElseThrow(() ->
                    new CccException("INVALID_CONFIG", key + "=" + wanted.get() + ": no such " + simple(type) + " on the classpath; available: "
                            + names(all), false)));
        }
        List<P> external = all.stream().filter(p -> !p.embedded() && p.configured(config)).toList();
        if (external.size() > 1) {
            throw new CccException("INVALID_CONFIG", "several " + simple(type) + "s on the classpath: " + names(external)
                    + "; choose one with " + key + "=<name> (env " + Config.envName(key) + ")", false);
        }
        if (external.size() == 1) {
            return Optional.of(external.get(0));
        }
        List<P> embedded = all.stream().filter(BackendProvider::embedded).toList();
        if (embedded.size() > 1) {
            throw new CccException("INVALID_CONFIG", "several embedded " + simple(type) + "s: " + names(embedded)
                    + "; choose one with " + key + "=<name>", false);
        }
        return embedded.stream().findFirst();
    }

    private static String simple(Class<?> type) {
        return type.getSimpleName().replace("Provider", "");
    }

    private static String names(List<? extends BackendProvider<?>> providers) {
        return providers.stream().map(BackendProvider::name).toList().toString();
    }
}

package io.ccc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void typedValues() {
        Config c = Config.of(Map.of("a", "5", "b", "30s", "c", "2g", "d", "yes"));
        assertThat(c.getInt("a", 0)).isEqualTo(5);
        assertThat(c.getDuration("b", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getBytes("c", 0)).isEqualTo(2L << 30);
        assertThat(c.getBoolean("d", false)).isTrue();
        assertThat(c.get("missing", "x")).isEqualTo("x");
    }

    @Test
    void badValuesNameTheKeyAndVariable() {
        assertThatThrownBy(() -> Config.of(Map.of("worker.slots", "many")).getInt("worker.slots", 1))
                .isInstanceOf(CccException.class).hasMessageContaining("worker.slots").hasMessageContaining("CCC_WORKER_SLOTS");
    }

    @Test
    void systemPropertiesAreRead() {
        System.setProperty("ccc.test.key", "v");
        try {
            assertThat(Config.fromEnvironment().get("test.key")).contains("v");
            assertThat(Config.fromEnvironment().with("test.key", "explicit").get("test.key")).contains("explicit");
        } finally {
            System.clearProperty("ccc.test.key");
        }
    }

    @Test
    void envNames() {
        assertThat(Config.envName("worker.lease-time")).isEqualTo("CCC_WORKER_LEASE_TIME");
    }
}

package io.ccc.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.ccc.tck.ArchitectureRules;
import org.junit.jupiter.api.Test;

class RedisArchitectureTest {
    @Test
    void importsNoOtherBackend() {
        JavaClasses classes = ArchitectureRules.mainClasses("io.ccc.redis");
        assertThat(classes.contain(RedisJobStore.class)).isTrue();
        ArchitectureRules.checkBackend(classes, "io.ccc.redis..");
    }
}

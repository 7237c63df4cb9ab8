package io.ccc.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.ccc.tck.ArchitectureRules;
import org.junit.jupiter.api.Test;

class HttpArchitectureTest {
    @Test
    void theServerFindsBackendsAtRuntimeAndNeverImportsThem() {
        JavaClasses classes = ArchitectureRules.mainClasses("io.ccc.http");
        assertThat(classes.contain(CccServer.class)).isTrue();
        noClasses().that().resideInAPackage("io.ccc.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.ccc.docker..", "io.ccc.redis..", "io.ccc.s3..", "io.ccc.scaler..",
                        "com.github.dockerjava..", "io.lettuce..", "software.amazon..")
                .check(classes);
    }
}

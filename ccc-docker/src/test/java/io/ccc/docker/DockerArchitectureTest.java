package io.ccc.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.ccc.tck.ArchitectureRules;
import org.junit.jupiter.api.Test;

class DockerArchitectureTest {
    @Test
    void dockerBackendImportsNoOtherBackend() {
        JavaClasses classes = ArchitectureRules.mainClasses("io.ccc.docker");
        assertThat(classes.contain(DockerContainerRunner.class)).isTrue();
        ArchitectureRules.checkBackend(classes, "io.ccc.docker..");
    }
}

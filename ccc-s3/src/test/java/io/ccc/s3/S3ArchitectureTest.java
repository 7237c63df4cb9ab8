package io.ccc.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.ccc.tck.ArchitectureRules;
import org.junit.jupiter.api.Test;

class S3ArchitectureTest {
    @Test
    void importsNoOtherBackend() {
        JavaClasses classes = ArchitectureRules.mainClasses("io.ccc.s3");
        assertThat(classes.contain(S3Storage.class)).isTrue();
        ArchitectureRules.checkBackend(classes, "io.ccc.s3..");
    }
}

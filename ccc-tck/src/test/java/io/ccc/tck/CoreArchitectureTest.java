package io.ccc.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

class CoreArchitectureTest {
    @Test
    void coreUsesNoVendorLibraryAndNoBackend() {
        JavaClasses core = ArchitectureRules.mainClasses("io.ccc");
        assertThat(core.contain(io.ccc.Ccc.class)).isTrue();
        ArchitectureRules.checkCore(core);
    }
}

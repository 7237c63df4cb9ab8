package io.ccc.tck;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;

/**
 * The module rules, checked by a test in every module: ccc-core uses no vendor library and no backend;
 * a backend never imports another backend.
 */
public final class ArchitectureRules {
    static final String[] VENDORS = {"com.github.dockerjava..", "io.lettuce..", "software.amazon..", "io.helidon..", "io.netty.."};
    static final String[] BACKENDS = {"io.ccc.docker..", "io.ccc.redis..", "io.ccc.s3..", "io.ccc.scaler.aws.."};
    static final String[] CORE = {"io.ccc", "io.ccc.spi..", "io.ccc.engine..", "io.ccc.embedded..", "io.ccc.internal.."};

    private ArchitectureRules() {
    }

    /** Main (non-test) classes under {@code rootPackage} on the classpath. */
    public static JavaClasses mainClasses(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(rootPackage);
    }

    public static void checkCore(JavaClasses classes) {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat().resideInAnyPackage(VENDORS).check(classes);
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat().resideInAnyPackage(BACKENDS).check(classes);
    }

    /** {@code backendPackage} like "io.ccc.docker..". */
    public static void checkBackend(JavaClasses classes, String backendPackage) {
        String[] others = Arrays.stream(BACKENDS).filter(b -> !b.equals(backendPackage)).toArray(String[]::new);
        noClasses().that().resideInAPackage(backendPackage).should().dependOnClassesThat().resideInAnyPackage(others)
                .check(classes);
    }
}

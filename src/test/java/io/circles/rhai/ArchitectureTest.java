package io.circles.rhai;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The engine is a standalone library: JDK + Jackson only. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ArchitectureTest {
    private static JavaClasses engine() {
        // ArchUnit needs slf4j-api (a transitive Maven dependency); the isolated javac build lacks it
        Assumptions.assumeTrue(ArchitectureTest.class.getClassLoader().getResource("org/slf4j/LoggerFactory.class") != null,
                "slf4j-api not on the test classpath");
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // also when tests are compiled outside Maven's test-classes directory
                .withImportOption(location -> !location.contains("/test/io/circles/rhai"))
                .importPackages("io.circles.rhai");
    }

    @Test
    void the_engine_depends_only_on_the_jdk_jackson_and_itself() {
        ArchRule rule = classes().that().resideInAPackage("io.circles.rhai..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax..", "com.fasterxml.jackson..", "io.circles.rhai..");
        rule.check(engine());
    }

    @Test
    void the_engine_does_not_use_reflection_or_dynamic_class_loading() {
        ArchRule rule = noClasses().that().resideInAPackage("io.circles.rhai..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("java.lang.reflect..", "java.lang.invoke..");
        rule.allowEmptyShould(true).check(engine());
    }
}

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
    /** Imported once for all rules (an import of the whole engine takes seconds on a loaded machine). */
    private static JavaClasses imported;

    private static synchronized JavaClasses engine() {
        // ArchUnit needs slf4j-api (a transitive Maven dependency); the isolated javac build lacks it
        Assumptions.assumeTrue(ArchitectureTest.class.getClassLoader().getResource("org/slf4j/LoggerFactory.class") != null,
                "slf4j-api not on the test classpath");
        if (imported == null) {
            imported = importEngine();
        }
        return imported;
    }

    private static JavaClasses importEngine() {
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

    // Layering that holds today; the remaining cycles (api <-> eval/ast/parser/func through Engine, Position and
    // RhaiException living in api) are listed in docs/RHAI_ENGINE.md. These rules keep new ones from appearing.

    @Test
    void the_value_types_are_the_bottom_layer() {
        noClasses().that().resideInAPackage("io.circles.rhai.types..")
                .should().dependOnClassesThat().resideInAnyPackage("io.circles.rhai.api..", "io.circles.rhai.ast..",
                        "io.circles.rhai.eval..", "io.circles.rhai.func..", "io.circles.rhai.packages..",
                        "io.circles.rhai.parser..", "io.circles.rhai.lexer..", "io.circles.rhai.cli..")
                .check(engine());
    }

    @Test
    void the_standard_library_sees_only_the_native_function_api_and_values() {
        noClasses().that().resideInAPackage("io.circles.rhai.packages..")
                .should().dependOnClassesThat().resideInAnyPackage("io.circles.rhai.ast..", "io.circles.rhai.eval..",
                        "io.circles.rhai.parser..", "io.circles.rhai.lexer..", "io.circles.rhai.cli..")
                .check(engine());
    }

    @Test
    void the_lexer_knows_nothing_of_parsing_or_evaluation() {
        noClasses().that().resideInAPackage("io.circles.rhai.lexer..")
                .should().dependOnClassesThat().resideInAnyPackage("io.circles.rhai.parser..", "io.circles.rhai.ast..",
                        "io.circles.rhai.eval..", "io.circles.rhai.packages..", "io.circles.rhai.func..")
                .check(engine());
    }

    @Test
    void native_functions_and_the_standard_library_do_not_reach_the_evaluator() {
        noClasses().that().resideInAPackage("io.circles.rhai.func..")
                .should().dependOnClassesThat().resideInAnyPackage("io.circles.rhai.ast..", "io.circles.rhai.eval..",
                        "io.circles.rhai.parser..", "io.circles.rhai.packages..")
                .check(engine());
    }

    @Test
    void the_engine_does_not_use_reflection_or_dynamic_class_loading() {
        ArchRule rule = noClasses().that().resideInAPackage("io.circles.rhai..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("java.lang.reflect..", "java.lang.invoke..");
        rule.allowEmptyShould(true).check(engine());
    }
}

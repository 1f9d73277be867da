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
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The engine is a standalone library (JDK + Jackson only) built in layers without cycles. */
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

    @Test
    void the_engine_sub_packages_are_free_of_cycles() {
        slices().matching("io.circles.rhai.(*)..").should().beFreeOfCycles().check(engine());
    }

    /**
     * Bottom to top: values and errors ({@code types}); JSON conversion ({@code serde}) and tokens ({@code lexer});
     * the native-function interface ({@code func}); the evaluator's runtime ({@code eval}: frames, operations,
     * limits); the executable syntax-tree nodes ({@code ast}), which run against that runtime; the {@code parser},
     * which builds them; the {@code api} façade on top, which also installs the standard library ({@code packages},
     * written against {@code func} only); the command line last.
     */
    @Test
    void the_engine_is_layered_from_values_up_to_the_api() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("types").definedBy("io.circles.rhai.types..")
                .layer("serde").definedBy("io.circles.rhai.serde..")
                .layer("lexer").definedBy("io.circles.rhai.lexer..")
                .layer("func").definedBy("io.circles.rhai.func..")
                .layer("eval").definedBy("io.circles.rhai.eval..")
                .layer("ast").definedBy("io.circles.rhai.ast..")
                .layer("parser").definedBy("io.circles.rhai.parser..")
                .layer("packages").definedBy("io.circles.rhai.packages..")
                .layer("api").definedBy("io.circles.rhai.api..")
                .layer("cli").definedBy("io.circles.rhai.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("api").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("packages").mayOnlyBeAccessedByLayers("api")
                .whereLayer("parser").mayOnlyBeAccessedByLayers("api")
                .whereLayer("ast").mayOnlyBeAccessedByLayers("parser")
                .whereLayer("eval").mayOnlyBeAccessedByLayers("ast", "parser", "api", "cli")
                .whereLayer("func").mayOnlyBeAccessedByLayers("eval", "ast", "parser", "packages", "api", "cli")
                .whereLayer("lexer").mayOnlyBeAccessedByLayers("parser")
                .whereLayer("serde").mayOnlyBeAccessedByLayers("packages", "api", "cli")
                .check(engine());
    }

    @Test
    void the_value_types_are_the_bottom_layer() {
        noClasses().that().resideInAPackage("io.circles.rhai.types..")
                .should().dependOnClassesThat().resideInAnyPackage("io.circles.rhai.api..", "io.circles.rhai.ast..",
                        "io.circles.rhai.eval..", "io.circles.rhai.func..", "io.circles.rhai.packages..",
                        "io.circles.rhai.parser..", "io.circles.rhai.lexer..", "io.circles.rhai.cli..",
                        "io.circles.rhai.serde..")
                .check(engine());
    }

    @Test
    void the_standard_library_sees_only_the_native_function_api_values_and_json() {
        noClasses().that().resideInAPackage("io.circles.rhai.packages..")
                .should().dependOnClassesThat().resideInAnyPackage("io.circles.rhai.ast..", "io.circles.rhai.eval..",
                        "io.circles.rhai.parser..", "io.circles.rhai.lexer..", "io.circles.rhai.cli..",
                        "io.circles.rhai.api..")
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

package io.circles.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The client library (and the crypto it signs with) stays usable outside the server: JDK, Jackson, BouncyCastle only. */
class ClientArchitectureTest {
    private static JavaClasses classesOf(String... packages) {
        Assumptions.assumeTrue(ClientArchitectureTest.class.getClassLoader().getResource("org/slf4j/LoggerFactory.class") != null,
                "slf4j-api not on the test classpath");
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packages);
    }

    @Test
    void the_client_depends_only_on_the_jdk_jackson_and_the_crypto_package() {
        classes().that().resideInAPackage("io.circles.client..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.net.ssl..", "com.fasterxml.jackson..", "io.circles.client..", "io.circles.crypto..")
                .check(classesOf("io.circles.client"));
    }

    @Test
    void the_crypto_package_depends_on_no_server_class() {
        classes().that().resideInAPackage("io.circles.crypto..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.bouncycastle..", "io.circles.crypto..")
                .check(classesOf("io.circles.crypto"));
    }

    @Test
    void the_client_commands_use_the_client_not_the_server() {
        classes().that().haveSimpleName("KeygenCommand").or().haveSimpleName("PlayCommand")
                .or().haveSimpleName("ReplCommand").or().haveSimpleName("ClientOptions")
                .or().haveSimpleName("PubkeyCommand").or().haveSimpleName("SignCommand")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "com.fasterxml.jackson..", "io.circles.client..", "io.circles.crypto..", "io.circles.cli..",
                        "picocli..")
                .check(classesOf("io.circles.cli"));
    }
}

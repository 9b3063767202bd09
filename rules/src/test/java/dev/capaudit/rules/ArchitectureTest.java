package dev.capaudit.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** capaudit-rules is pure domain: its production classes use the JDK and each other, nothing else. */
class ArchitectureTest {
  private static final ArchRule PURE_DOMAIN = classes().that().resideInAPackage("dev.capaudit.rules..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.capaudit.rules..")
      .because("rules is pure domain: no I/O or serialization library (Jackson, docker-java) may leak in");

  private static final JavaClasses PRODUCTION = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.capaudit.rules");

  @Test
  void imports_the_production_classes_of_every_rules_package() {
    assertThat(PRODUCTION.stream().map(JavaClass::getPackageName).distinct()).contains(
        "dev.capaudit.rules.capability", "dev.capaudit.rules.proc", "dev.capaudit.rules.policy",
        "dev.capaudit.rules.engine", "dev.capaudit.rules.model");
    assertThat(PRODUCTION.contain("dev.capaudit.rules.engine.Auditor")).isTrue();
    assertThat(PRODUCTION.contain(ArchitectureTest.class.getName())).isFalse();
  }

  @Test
  void rules_depends_only_on_the_jdk_and_itself() {
    PURE_DOMAIN.check(PRODUCTION);
  }

  @Test
  void the_rule_catches_a_rules_class_that_imports_a_library() {
    JavaClasses leaky = new ClassFileImporter().importPackages("dev.capaudit.rules.archfixture");

    EvaluationResult result = PURE_DOMAIN.evaluate(leaky);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(detail -> assertThat(detail).contains("LeaksATestLibrary").contains("org.assertj"));
  }
}

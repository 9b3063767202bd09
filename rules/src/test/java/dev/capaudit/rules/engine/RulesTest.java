package dev.capaudit.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesTest {

  /** Every {@code public static final Rule} constant of {@link Rules}, whether registered or not. */
  private static List<Rule> declaredRules() throws IllegalAccessException {
    List<Rule> rules = new ArrayList<>();
    for (Field field : Rules.class.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (field.getType() == Rule.class && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers)) {
        rules.add((Rule) field.get(null));
      }
    }
    return rules;
  }

  @Test
  void registers_every_declared_rule_once_under_a_unique_id() throws Exception {
    List<Rule> declared = declaredRules();

    assertThat(declared).hasSize(11);
    assertThat(declared).extracting(Rule::id).doesNotHaveDuplicates();
    assertThat(Rules.all()).containsExactlyInAnyOrderElementsOf(declared);
  }

  @Test
  void lists_the_rules_in_their_registration_order() {
    assertThat(Rules.all()).extracting(Rule::id).containsExactly("must-drop-present", "outside-allowed-context",
        "unlisted-capability", "privileged-container", "cap-add-all", "cap-add-not-allowed", "ambient-on-non-root",
        "regain-path", "regain-binary", "host-root-equivalent", "exec-view-mismatch");
  }

  @Test
  void documents_every_rule() {
    assertThat(Rules.all()).allSatisfy(rule -> {
      assertThat(rule.id()).matches("[a-z]+(-[a-z]+)*");
      assertThat(rule.title()).isNotBlank();
      assertThat(rule.rationale()).isNotBlank();
      assertThat(rule.remediation()).isNotBlank();
      assertThat(rule.severity()).isNotNull();
    });
  }

  @Test
  void cites_the_cis_capabilities_control_for_every_capability_rule() {
    assertThat(Rules.all()).filteredOn(rule -> rule != Rules.PRIVILEGED_CONTAINER).allSatisfy(rule ->
        assertThat(rule.cisReferences()).anySatisfy(ref -> assertThat(ref).containsAnyOf("5.3", "5.4")));
  }

  @Test
  void cites_the_cis_privileged_control_for_the_privileged_rule() {
    assertThat(Rules.PRIVILEGED_CONTAINER.cisReferences())
        .anySatisfy(ref -> assertThat(ref).contains("5.4"))
        .anySatisfy(ref -> assertThat(ref).contains("5.5"))
        .noneSatisfy(ref -> assertThat(ref).contains("5.3"));
  }

  @Test
  void finds_every_rule_by_its_id() {
    assertThat(Rules.all()).allSatisfy(rule -> assertThat(Rules.byId(rule.id())).containsSame(rule));
    assertThat(Rules.byId("regain-path")).containsSame(Rules.REGAIN_PATH);
    assertThat(Rules.byId("no-such-rule")).isEmpty();
  }

  @Test
  void privileged_and_cap_add_all_are_high() {
    assertThat(Rules.PRIVILEGED_CONTAINER.severity()).isEqualTo(Severity.HIGH);
    assertThat(Rules.CAP_ADD_ALL.severity()).isEqualTo(Severity.HIGH);
    assertThat(Rules.CAP_ADD_NOT_ALLOWED.severity()).isEqualTo(Severity.MEDIUM);
  }

  @Test
  void reads_severities_by_their_id() {
    assertThat(Severity.fromId(" High ")).contains(Severity.HIGH);
    assertThat(Severity.fromId("info")).contains(Severity.INFO);
    assertThat(Severity.fromId("fatal")).isEmpty();
    assertThat(Severity.fromId(null)).isEmpty();
  }

  @Test
  void fails_targets_on_high_and_medium_severity_only() {
    assertThat(Severity.HIGH.failsTarget()).isTrue();
    assertThat(Severity.MEDIUM.failsTarget()).isTrue();
    assertThat(Severity.LOW.failsTarget()).isFalse();
    assertThat(Severity.INFO.failsTarget()).isFalse();
  }
}

package dev.capaudit.reports.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.scanner.policy.PolicyFileException;
import dev.capaudit.scanner.policy.PolicyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * schemas/policy-v1.schema.json accepts exactly what the policy loader (PolicyFiles) accepts: a corpus of policies,
 * each given to both, must get the same answer from each. What a schema cannot say (a capability both must-drop and
 * load-bearing, YAML aliases, ...) is listed apart, so the difference is known rather than found.
 */
class PolicySchemaTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String HEAD = "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nname: p\n";
  static final String MODELINE = "# yaml-language-server: $schema=../../schemas/policy-v1.schema.json";

  private static boolean loaderAccepts(String yaml) {
    try {
      PolicyFiles.parse(yaml, "p.yaml");
      return true;
    } catch (PolicyFileException e) {
      return false;
    }
  }

  private static List<String> schemaProblems(String yaml) throws IOException {
    JsonNode tree = YAML.readTree(yaml);
    return Schemas.problems(Schemas.POLICY, tree == null ? YAML.nullNode() : tree);
  }

  private static final boolean ACCEPTED = true;
  private static final boolean REFUSED = false;

  /** Policies and whether the loader accepts them: the schema must answer the same for each. */
  static Stream<Arguments> corpus() {
    return Stream.of(
        Arguments.of(ACCEPTED, "the three required keys", HEAD),
        Arguments.of(ACCEPTED, "every key",
            HEAD + "description: d\nsets: [inheritable, permitted, effective, bounding, ambient]"
            + "\nunlisted: warn\nmustDrop: [SYS_ADMIN, NET_RAW]\nloadBearing:\n  - capability: SETUID\n"
            + "    reason: setpriv\n    contexts: [root-process, root-exec, config]\n"),
        Arguments.of(ACCEPTED, "names in any case, with or without CAP_",
            HEAD + "mustDrop: [cap_net_raw, Sys_Admin, CAP_SYS_PTRACE,"
            + " cap_BPF]\nloadBearing: [{capability: setuid, reason: x}]\n"),
        Arguments.of(ACCEPTED, "a quoted name with spaces around it", HEAD + "mustDrop: [\" net_raw \"]\n"),
        Arguments.of(ACCEPTED, "ALL in mustDrop, in any case, even with CAP_", HEAD + "mustDrop: [all, CAP_ALL]\n"
            + "loadBearing: [{capability: NET_BIND_SERVICE, reason: ports}]\n"),
        Arguments.of(ACCEPTED, "a list of one written as its item",
            HEAD + "mustDrop: ALL\nsets: bounding\nloadBearing:\n"
            + "  capability: KILL\n  reason: signals\n  contexts: root-process\n"),
        Arguments.of(ACCEPTED, "contexts, sets and unlisted in any case",
            HEAD + "sets: [BOUNDING, Effective]\nunlisted: ALLOW\n"
            + "loadBearing: [{capability: KILL, reason: x, contexts: [ROOT-PROCESS, Config]}]\n"),
        Arguments.of(ACCEPTED, "unlisted with spaces", HEAD + "unlisted: \" fail \"\n"),
        Arguments.of(ACCEPTED, "empty lists and nulls mean the defaults",
            HEAD + "description: ~\nsets: []\nunlisted: ~\n"
            + "mustDrop: []\nloadBearing: [{capability: KILL, reason: x, contexts: ~}]\n"),
        Arguments.of(ACCEPTED, "null lists", HEAD + "sets: ~\nmustDrop: ~\nloadBearing: ~\n"),
        Arguments.of(ACCEPTED, "scalars that read as text",
            "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nname: 123\n"
            + "description: 4.5\nloadBearing: [{capability: KILL, reason: true}]\n"),

        Arguments.of(REFUSED, "an unknown key", HEAD + "mustdrop: [NET_RAW]\n"),
        Arguments.of(REFUSED, "an unknown key in a load-bearing entry",
            HEAD + "loadBearing: [{capability: KILL, reason: x,"
            + " context: [config]}]\n"),
        Arguments.of(REFUSED, "an unknown context",
            HEAD + "loadBearing: [{capability: KILL, reason: x, contexts: [root-shell]}]\n"),
        Arguments.of(REFUSED, "an unknown set", HEAD + "sets: [bnd]\n"),
        Arguments.of(REFUSED, "an unknown unlisted action", HEAD + "unlisted: deny\n"),
        Arguments.of(REFUSED, "an unknown capability", HEAD + "mustDrop: [NET_RAWW]\n"),
        Arguments.of(REFUSED, "a bit number for a capability", HEAD + "mustDrop: [CAP_41]\n"),
        Arguments.of(REFUSED, "ALL as a load-bearing capability",
            HEAD + "loadBearing: [{capability: ALL, reason: x}]\n"),
        Arguments.of(REFUSED, "no name", "apiVersion: capaudit/v1\nkind: CapabilityPolicy\n"),
        Arguments.of(REFUSED, "a null name", "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nname: ~\n"),
        Arguments.of(REFUSED, "a list for a name", "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nname: [a]\n"),
        Arguments.of(REFUSED, "no apiVersion", "kind: CapabilityPolicy\nname: p\n"),
        Arguments.of(REFUSED, "another apiVersion", "apiVersion: capaudit/v2\nkind: CapabilityPolicy\nname: p\n"),
        Arguments.of(REFUSED, "a number for apiVersion", "apiVersion: 1\nkind: CapabilityPolicy\nname: p\n"),
        Arguments.of(REFUSED, "another kind", "apiVersion: capaudit/v1\nkind: Snapshot\nname: p\n"),
        Arguments.of(REFUSED, "no reason", HEAD + "loadBearing: [{capability: KILL}]\n"),
        Arguments.of(REFUSED, "no capability", HEAD + "loadBearing: [{reason: x}]\n"),
        Arguments.of(REFUSED, "a mapping for a reason", HEAD + "loadBearing: [{capability: KILL, reason: {a: b}}]\n"),
        Arguments.of(REFUSED, "an empty contexts list",
            HEAD + "loadBearing: [{capability: KILL, reason: x, contexts: []}]\n"),
        Arguments.of(REFUSED, "an empty list item", HEAD + "mustDrop: [NET_RAW, ~]\n"),
        Arguments.of(REFUSED, "a number for a set", HEAD + "sets: 5\n"),
        Arguments.of(REFUSED, "a number for a capability", HEAD + "mustDrop: [13]\n"),
        Arguments.of(REFUSED, "a name for a load-bearing entry", HEAD + "loadBearing: [SETUID]\n"),
        Arguments.of(REFUSED, "a list at the top", "- apiVersion: capaudit/v1\n"),
        Arguments.of(REFUSED, "an empty document", ""));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("corpus")
  void the_schema_accepts_what_the_loader_accepts_and_refuses_what_it_refuses(boolean accepted, String what,
      String yaml) throws Exception {
    assertThat(loaderAccepts(yaml)).as("the loader's answer for " + what).isEqualTo(accepted);
    assertThat(schemaProblems(yaml).isEmpty()).as("the schema's answer for " + what + ": " + schemaProblems(yaml))
        .isEqualTo(accepted);
  }

  /**
   * What no JSON Schema can say, refused by the loader alone: relations between entries, and YAML itself (an editor
   * shows a duplicate key or an alias on its own).
   */
  static Stream<Arguments> beyondASchema() {
    return Stream.of(
        Arguments.of("a capability both must-drop and load-bearing", HEAD + "mustDrop: [KILL]\n"
            + "loadBearing: [{capability: KILL, reason: x}]\n"),
        Arguments.of("a capability twice in loadBearing", HEAD + "loadBearing: [{capability: KILL, reason: x},"
            + " {capability: cap_kill, reason: y}]\n"),
        Arguments.of("a key given twice", HEAD + "description: a\ndescription: b\n"),
        Arguments.of("an alias", HEAD + "description: &d x\nloadBearing: [{capability: KILL, reason: *d}]\n"),
        Arguments.of("a second document", HEAD + "---\nname: q\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beyondASchema")
  void what_only_the_loader_can_refuse_is_known(String what, String yaml) throws Exception {
    assertThat(loaderAccepts(yaml)).as("the loader refuses " + what).isFalse();
    assertThat(schemaProblems(yaml)).as("the schema cannot see " + what).isEmpty();
  }

  @Test
  void non_ascii_letters_that_java_would_fold_into_a_name_are_refused_by_both() throws Exception {
    // Java's own case rules map the long s (U+017F) to S and dotted capital I (U+0130) to i: a reviewer would not
    // read "cap_\u017fys_admin" as SYS_ADMIN, and neither the loader (ASCII folding only) nor the schema does.
    String longS = HEAD + "mustDrop: [cap_\u017fys_admin]\n";
    String dottedI = HEAD + "loadBearing: [{capability: KILL, reason: x, contexts: [conf\u0130g]}]\n";

    assertThat(loaderAccepts(longS)).isFalse();
    assertThat(loaderAccepts(dottedI)).isFalse();
    assertThat(schemaProblems(longS)).isNotEmpty();
    assertThat(schemaProblems(dottedI)).isNotEmpty();
  }

  @Test
  void the_schema_names_every_capability_capaudit_knows() {
    List<String> names = Arrays.stream(Capability.values()).map(Capability::name).toList();
    List<String> withAll = new ArrayList<>(names);
    withAll.add("ALL");
    JsonNode capability = Schemas.POLICY_TREE.at("/definitions/capability/anyOf");
    JsonNode mustDrop = Schemas.POLICY_TREE.at("/definitions/mustDropEntry/anyOf");

    assertThat(texts(capability.get(0).path("enum"))).containsExactlyElementsOf(names);
    assertThat(capability.get(1).path("pattern").asText()).isEqualTo(pattern(names));
    assertThat(texts(mustDrop.get(0).path("enum"))).containsExactlyElementsOf(withAll);
    assertThat(mustDrop.get(1).path("pattern").asText()).isEqualTo(pattern(withAll));
  }

  /** The loader's reading as a pattern: trimmed, any ASCII case, CAP_ optional (what an editor can check). */
  private static String pattern(List<String> names) {
    return "^[\\x00-\\x20]*(" + anyCase("CAP_") + ")?(" + names.stream().map(PolicySchemaTest::anyCase)
        .collect(Collectors.joining("|")) + ")[\\x00-\\x20]*$";
  }

  private static String anyCase(String word) {
    StringBuilder out = new StringBuilder();
    for (char c : word.toCharArray()) {
      out.append(Character.isLetter(c) ? "[" + Character.toUpperCase(c) + Character.toLowerCase(c) + "]"
          : String.valueOf(c));
    }
    return out.toString();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  static Stream<Path> shippedPolicies() throws IOException {
    try (Stream<Path> files = Files.list(SampleReports.repoRoot().resolve("samples/policies"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedPolicies")
  void every_shipped_policy_names_the_schema_for_editors_and_is_valid_for_both(Path policy) throws Exception {
    String text = Files.readString(policy);

    assertThat(text.lines().findFirst()).hasValue(MODELINE);
    assertThat(PolicyFiles.load(policy).name()).isEqualTo(policy.getFileName().toString().replace(".yaml", ""));
    assertThat(schemaProblems(text)).isEmpty();
  }

  @Test
  void the_schema_can_fail_and_says_where() throws Exception {
    assertThat(schemaProblems(HEAD + "mustdrop: [NET_RAW]\n"))
        .anyMatch(p -> p.toLowerCase(Locale.ROOT).contains("mustdrop"));
    assertThat(schemaProblems(HEAD + "loadBearing: [{capability: KILL, reason: x, contexts: [root-shell]}]\n"))
        .anyMatch(p -> p.contains("contexts"));
  }
}

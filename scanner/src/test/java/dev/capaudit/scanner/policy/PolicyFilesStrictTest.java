package dev.capaudit.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and careless policies: each is refused with where and why, quickly, and never read as something else. */
class PolicyFilesStrictTest {
  private static final String HEADER = "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nname: test\n";

  @TempDir
  Path dir;

  private static String errorOf(String yaml) {
    Throwable thrown = catchThrowable(() -> PolicyFiles.parse(yaml, "policy.yaml"));
    assertThat(thrown).isInstanceOf(PolicyFileException.class);
    return thrown.getMessage();
  }

  /** A policy whose description is one string of the given size, as the hostile user wrote it. */
  private Path policyWithLongString(int bytes) throws IOException {
    Path file = dir.resolve("long.yaml");
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER + "description: \"");
      char[] chunk = "a".repeat(64 * 1024).toCharArray();
      for (int written = 0; written < bytes; written += chunk.length) {
        out.write(chunk);
      }
      out.write("\"\n");
    }
    return file;
  }

  @Test
  void refuses_a_benign_alias_naming_where_it_stands() {
    String yaml = HEADER + "loadBearing:\n  - capability: SETUID\n    reason: &why step down\n"
        + "  - capability: SETGID\n    reason: *why\n";

    assertThat(errorOf(yaml)).isEqualTo("invalid policy at policy.yaml:8:13: YAML alias '*why': anchors and aliases"
        + " are not expanded, write the value out");
  }

  @Test
  void refuses_a_merge_key_which_is_an_alias_too() {
    String yaml = HEADER + "loadBearing:\n  - &base {capability: KILL, reason: signals}\n"
        + "  - <<: *base\n    capability: CHOWN\n";

    assertThat(errorOf(yaml)).startsWith("invalid policy at policy.yaml:6:").contains("YAML alias '*base'");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void refuses_a_billion_laughs_policy_at_its_first_alias() {
    StringBuilder yaml = new StringBuilder(HEADER + "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("x").append(i).append(": &a").append(i).append(" [")
          .append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }

    assertThat(errorOf(yaml.toString())).isEqualTo("invalid policy at policy.yaml:5:10: YAML alias '*a0': anchors"
        + " and aliases are not expanded, write the value out");
  }

  @Test
  void keeps_an_anchor_alone_since_it_changes_no_value() throws Exception {
    assertThat(PolicyFiles.parse(HEADER + "description: &d the sandbox\n", "policy.yaml").description())
        .isEqualTo("the sandbox");
  }

  @Test
  void refuses_a_duplicated_key_inside_a_load_bearing_item() {
    String yaml = HEADER + "loadBearing:\n  - capability: SETUID\n    reason: a\n    capability: SYS_ADMIN\n";

    assertThat(errorOf(yaml)).isEqualTo("invalid policy at policy.yaml:7:15: Duplicate field 'capability'");
  }

  @Test
  void refuses_a_second_document_that_would_otherwise_be_ignored() {
    String yaml = HEADER + "mustDrop: [SYS_ADMIN]\n---\n" + HEADER + "mustDrop: []\n";

    assertThat(errorOf(yaml)).startsWith("invalid policy at policy.yaml:6:")
        .endsWith("a second YAML document ('---'); the file must hold exactly one");
  }

  @Test
  void refuses_nesting_deeper_than_a_policy_can_have() {
    assertThat(errorOf(HEADER + "mustDrop: " + "[".repeat(25) + "]".repeat(25) + "\n"))
        .isEqualTo("invalid policy at policy.yaml:4:31: nested deeper than 20 levels");
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 50})
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void refuses_a_policy_of_many_megabytes_with_one_long_string_before_parsing_it(int megabytes) throws Exception {
    Path file = policyWithLongString(megabytes * 1024 * 1024);

    assertThatThrownBy(() -> PolicyFiles.load(file))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageStartingWith("policy " + file + " is larger than 3 MiB (" + megabytes + ".0 MiB");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void refuses_a_long_string_within_the_size_limit_before_the_yaml_parser_scans_it() throws Exception {
    Path file = policyWithLongString(3 * 1024 * 1024 - 128 * 1024);

    assertThatThrownBy(() -> PolicyFiles.load(file))
        .hasMessageMatching("invalid policy at .*long\\.yaml:4:65537: line 4 is longer than 64 KiB \\(\\d+"
            + " characters\\)");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refuses_text_over_the_code_point_limit_even_in_short_lines() {
    String yaml = HEADER + "# filler\n".repeat(3 * 1024 * 1024 / 9 + 10) + "mustDrop: []\n";

    assertThat(errorOf(yaml)).startsWith("invalid policy at policy.yaml:").contains("exceeds the limit");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refuses_a_device_and_a_directory_without_reading_them() {
    assertThatThrownBy(() -> PolicyFiles.load(Path.of("/dev/zero")))
        .hasMessage("cannot read policy /dev/zero: not a regular file (a FIFO, socket or device)");
    assertThatThrownBy(() -> PolicyFiles.load(dir))
        .hasMessage("cannot read policy " + dir + ": not a regular file (a directory)");
  }

  @Test
  void names_the_offset_of_bad_utf8_instead_of_input_length() throws Exception {
    Path file = Files.write(dir.resolve("latin1.yaml"), (HEADER + "description: caf\u00e9\n")
        .getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> PolicyFiles.load(file))
        .hasMessage("policy " + file + " is not valid UTF-8 (first bad byte at offset "
            + (HEADER + "description: caf").length() + ")");
  }

  @Test
  void checks_a_single_load_bearing_mapping_as_a_list_of_one_instead_of_crashing() throws Exception {
    assertThat(errorOf(HEADER + "loadBearing:\n  capability: KILL\n"))
        .isEqualTo("missing key 'reason' in loadBearing item 1 at policy.yaml:4:1");
    assertThat(PolicyFiles.parse(HEADER + "loadBearing:\n  capability: KILL\n  reason: signals\n", "policy.yaml")
        .loadBearing()).containsOnlyKeys(dev.capaudit.rules.capability.Capability.KILL);
  }
}

package dev.capaudit.scanner.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StrictYamlTest {
  private static final ObjectMapper YAML = StrictYaml.mapper();

  private static JsonProcessingException refusal(String text) {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
        () -> StrictYaml.readTree(YAML, text));
    assertThat(e).as("refused: " + text).isNotNull();
    return e;
  }

  private static String at(JsonProcessingException e) {
    return e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
  }

  @Test
  void reads_plain_yaml_as_it_is() throws Exception {
    assertThat(StrictYaml.readTree(YAML, "a: 1\nb: [x, y]\nc: {d: e}\n")).hasToString(
        "{\"a\":1,\"b\":[\"x\",\"y\"],\"c\":{\"d\":\"e\"}}");
  }

  @Test
  void refuses_an_alias_which_jackson_would_read_as_the_anchors_name() throws Exception {
    assertThat(YAML.readTree("a: &x 1\nb: *x\n").path("b").asText()).as("what Jackson alone does").isEqualTo("x");

    JsonProcessingException e = refusal("a: &x 1\nb: *x\n");

    assertThat(e.getOriginalMessage()).isEqualTo("YAML alias '*x': anchors and aliases are not expanded, write the"
        + " value out");
    assertThat(at(e)).isEqualTo("2:4");
  }

  @Test
  void refuses_a_duplicate_key_at_its_line() {
    JsonProcessingException e = refusal("a: 1\nb:\n  c: 1\n  c: 2\n");

    assertThat(e.getOriginalMessage()).isEqualTo("Duplicate field 'c'");
    assertThat(e.getLocation().getLineNr()).isEqualTo(4);
  }

  @Test
  void refuses_a_second_document_even_after_a_scalar_one() {
    assertThat(refusal("just text\n---\nmore\n").getOriginalMessage()).startsWith("a second YAML document");
  }

  @Test
  void accepts_a_document_marker_before_the_only_document() throws Exception {
    assertThat(StrictYaml.readTree(YAML, "---\na: 1\n...\n").path("a").asInt()).isEqualTo(1);
  }

  @Test
  void refuses_nesting_deeper_than_the_limit_and_accepts_the_limit() throws Exception {
    int limit = StrictYaml.MAX_DEPTH;
    assertThat(StrictYaml.readTree(YAML, "[".repeat(limit) + "]".repeat(limit))).isNotNull();

    JsonProcessingException e = refusal("[".repeat(limit + 1) + "]".repeat(limit + 1));

    assertThat(e.getOriginalMessage()).isEqualTo("nested deeper than 20 levels");
    assertThat(at(e)).isEqualTo("1:" + (limit + 2));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void refuses_a_line_over_the_limit_before_the_parser_scans_it_and_accepts_one_at_the_limit() throws Exception {
    String atLimit = "a: " + "x".repeat(StrictYaml.MAX_LINE - 3);
    assertThat(StrictYaml.readTree(YAML, atLimit + "\n").path("a").asText()).hasSize(StrictYaml.MAX_LINE - 3);

    JsonProcessingException e = refusal("ok: 1\n" + atLimit + "x\n");

    assertThat(e.getOriginalMessage()).isEqualTo("line 2 is longer than 64 KiB (65537 characters)");
    assertThat(at(e)).isEqualTo("2:65537");
  }
}

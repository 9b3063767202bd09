package dev.capaudit.scanner.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlLocatorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String TEXT = "a: 1\nlist:\n  - x: 1\n    y: 2\n  - x: 3\n    z: 4\nb: 2\n";

  @Test
  void finds_a_key_inside_the_second_list_item() {
    var location = YamlLocator.locate(YAML, TEXT, List.of(new Reference(null, "list"), new Reference(null, 1),
        new Reference(null, "z")));
    assertThat(location).get().satisfies(l -> {
      assertThat(l.getLineNr()).isEqualTo(6);
      assertThat(l.getColumnNr()).isEqualTo(5);
    });
  }

  @Test
  void finds_the_first_list_item() {
    var location = YamlLocator.locate(YAML, TEXT, List.of(new Reference(null, "list"), new Reference(null, 0)));
    assertThat(location).get().extracting(l -> l.getLineNr()).isEqualTo(3);
  }

  @Test
  void finds_a_top_level_key_after_a_list() {
    var location = YamlLocator.locate(YAML, TEXT, List.of(new Reference(null, "b")));
    assertThat(location).get().extracting(l -> l.getLineNr()).isEqualTo(7);
  }
}

package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** A JSON report read back, with the lookups the integration tests assert on. */
record LiveReport(int exitCode, JsonNode root, String out, String err) {
  static LiveReport scan(Path json, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("scan", "--json", json.toString()));
    all.addAll(List.of(args));
    CliRunner run = CliRunner.run(all.toArray(String[]::new));
    assertThat(json).as("JSON report; stderr: %s", run.err).exists();
    return new LiveReport(run.exitCode, new ObjectMapper().readTree(json.toFile()), run.out, run.err);
  }

  JsonNode target(String name) {
    return StreamSupport.stream(root.path("targets").spliterator(), false)
        .filter(t -> t.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no target " + name + " in " + root.path("targets")));
  }

  static JsonNode process(JsonNode target, int pid) {
    return StreamSupport.stream(target.path("processes").spliterator(), false)
        .filter(p -> p.path("pid").asInt() == pid).findFirst()
        .orElseThrow(() -> new AssertionError("no pid " + pid + " in " + target.path("processes")));
  }

  /** Findings as "rule context pid|user set capability" strings, for containment assertions. */
  static List<String> findings(JsonNode target) {
    List<String> result = new ArrayList<>();
    for (JsonNode f : target.path("findings")) {
      String holder = switch (f.path("context").asText()) {
        case "process" -> "pid=" + f.path("pid").asInt();
        case "exec" -> "user=" + f.path("execUser").asText();
        default -> "config";
      };
      result.add(f.path("rule").asText() + " " + f.path("context").asText() + " " + holder + " "
          + f.path("set").asText("-") + " " + f.path("capability").asText());
    }
    return result;
  }
}

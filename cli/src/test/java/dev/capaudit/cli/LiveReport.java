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

  /**
   * Findings as "rule context pid|user set capability" strings, for containment assertions: each grouped finding
   * (schema version 2) is spread back over its occurrences, pids and sets.
   */
  static List<String> findings(JsonNode target) {
    List<String> result = new ArrayList<>();
    for (JsonNode f : target.path("findings")) {
      for (JsonNode o : f.path("occurrences")) {
        List<String> holders = new ArrayList<>();
        switch (o.path("context").asText()) {
          case "process" -> o.path("holder").path("pids").forEach(pid -> holders.add("pid=" + pid.asInt()));
          case "exec" -> holders.add("user=" + o.path("holder").path("name").asText());
          default -> holders.add("config");
        }
        List<String> sets = new ArrayList<>();
        o.path("sets").fieldNames().forEachRemaining(sets::add);
        if (sets.isEmpty()) {
          sets.add("-");
        }
        for (String holder : holders) {
          for (String set : sets) {
            result.add(f.path("rule").asText() + " " + o.path("context").asText() + " " + holder + " " + set + " "
                + f.path("capability").asText());
          }
        }
      }
    }
    return result;
  }
}

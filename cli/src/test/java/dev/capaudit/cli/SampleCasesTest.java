package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the whole offline audit from the files in samples/cases: each case holds a snapshot and an
 * {@code expected.yaml} that states the policy, the exit code, the verdict and every finding with every occurrence:
 * {@code RULE CAPABILITY: CONTEXT HOLDER SETS | ...}. {@code -Dcapaudit.updateGolden=true} rewrites the findings of
 * every case from what the audit gives; review the diff.
 */
class SampleCasesTest {
  static final Path CASES = RepoPaths.root().resolve("samples/cases");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir
  Path temp;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CASES)) {
      return dirs.filter(d -> Files.exists(d.resolve("expected.yaml"))).map(d -> d.getFileName().toString())
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sample_case_gives_its_expected_verdict_and_findings(String name) throws IOException {
    Path dir = CASES.resolve(name);
    JsonNode expected = YAML.readTree(dir.resolve("expected.yaml").toFile());
    Path json = temp.resolve("report.json");
    StringWriter out = new StringWriter();
    int exit = Main.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter())).execute("scan",
        "--policy", policyArgument(dir, expected.path("policy").asText()),
        "--snapshot", dir.resolve("snapshot.yaml").toString(), "--json", json.toString());

    JsonNode target = new ObjectMapper().readTree(json.toFile()).path("targets").get(0);
    List<String> actual = findings(target.path("findings"));
    if (Boolean.getBoolean("capaudit.updateGolden")) {
      rewrite(dir.resolve("expected.yaml"), actual);
      return;
    }
    assertThat(exit).as("exit code").isEqualTo(expected.path("exitCode").asInt());
    assertThat(target.path("verdict").asText()).isEqualTo(expected.path("verdict").asText());
    // In the report's order: worst first.
    assertThat(actual).containsExactlyElementsOf(YAML.convertValue(expected.path("findings"), List.class));
  }

  private static void rewrite(Path file, List<String> findings) throws IOException {
    String text = Files.readString(file);
    String head = text.substring(0, text.indexOf("findings:"));
    StringBuilder out = new StringBuilder(head).append(findings.isEmpty() ? "findings: []\n" : "findings:\n");
    findings.forEach(f -> out.append("  - \"").append(f.replace("\"", "\\\"")).append("\"\n"));
    Files.writeString(file, out.toString());
  }

  private static String policyArgument(Path dir, String policy) {
    Path file = dir.resolve(policy);
    return Files.exists(file) ? file.toString() : policy;
  }

  /** One line per finding: rule, capability, then each occurrence's context, holder and sets with their masks. */
  static List<String> findings(JsonNode findings) {
    List<String> lines = new ArrayList<>();
    for (JsonNode f : findings) {
      List<String> occurrences = new ArrayList<>();
      for (JsonNode o : f.path("occurrences")) {
        JsonNode h = o.path("holder");
        StringBuilder text = new StringBuilder(o.path("policyContext").asText()).append(' ')
            .append(h.path("kind").asText());
        if (h.hasNonNull("name")) {
          text.append(' ').append(h.path("name").asText());
        }
        if (h.hasNonNull("uid")) {
          text.append(" uid=").append(h.path("uid").asLong());
        }
        if (h.has("pids")) {
          text.append(" pids=").append(join(h.path("pids")));
        }
        if (h.has("tids")) {
          text.append(" tids=").append(join(h.path("tids")));
        }
        o.path("sets").fields().forEachRemaining(e -> text.append(' ').append(e.getKey()).append('=')
            .append(e.getValue().asText()));
        occurrences.add(text.toString());
      }
      lines.add(f.path("severity").asText() + " " + f.path("rule").asText() + " " + f.path("capability").asText()
          + ": " + String.join(" | ", occurrences));
    }
    return lines;
  }

  private static String join(JsonNode ids) {
    List<String> parts = new ArrayList<>();
    ids.forEach(id -> parts.add(id.asText()));
    return String.join(",", parts);
  }
}

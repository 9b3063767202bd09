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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the whole offline audit from the files in samples/cases: each case holds a snapshot and an
 * {@code expected.yaml} that states the policy, the exit code, the verdict and every finding, grouped as
 * {@code rule context subject set: CAPABILITIES}, where a thread's subject is {@code process pid=P tid=T}.
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
    assertThat(exit).as("exit code").isEqualTo(expected.path("exitCode").asInt());
    assertThat(target.path("verdict").asText()).isEqualTo(expected.path("verdict").asText());
    assertThat(grouped(target.path("findings"))).containsExactlyInAnyOrderElementsOf(
        YAML.convertValue(expected.path("findings"), List.class));
  }

  private static String policyArgument(Path dir, String policy) {
    Path file = dir.resolve(policy);
    return Files.exists(file) ? file.toString() : policy;
  }

  /** One line per rule, context, holder and set, listing the capabilities in the order found. */
  static List<String> grouped(JsonNode findings) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (JsonNode f : findings) {
      String holder = switch (f.path("context").asText()) {
        // A thread whose sets differ from its leader's is its own holder: "process pid=1 tid=7".
        case "process" -> "process pid=" + f.path("pid").asInt()
            + (f.hasNonNull("tid") ? " tid=" + f.path("tid").asInt() : "");
        case "exec" -> "exec user=" + f.path("execUser").asText();
        default -> "config";
      };
      String key = f.path("rule").asText() + " " + holder + " " + f.path("set").asText("-");
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f.path("capability").asText());
    }
    List<String> lines = new ArrayList<>();
    groups.forEach((key, caps) -> lines.add(key + ": " + String.join(" ", caps)));
    return lines;
  }
}

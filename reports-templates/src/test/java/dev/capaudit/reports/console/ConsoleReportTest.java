package dev.capaudit.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.snapshot.SnapshotFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleReportTest {
  @Test
  void twins_behind_two_engines_are_told_apart_by_engine() throws Exception {
    TargetSnapshot twin = sample();
    String table = table(List.of(
        twin.withOrigin(TargetOrigin.UNKNOWN.withEngine("unix:///var/run/docker.sock").withNode("node-a")),
        twin.withOrigin(TargetOrigin.UNKNOWN.withEngine("tcp://10.0.0.7:2376").withNode("node-a"))));

    assertThat(lines(table)).anySatisfy(line -> assertThat(line).contains("capaudit-capture-agent-fixed @/var/run/docker.sock"))
        .anySatisfy(line -> assertThat(line).contains("capaudit-capture-agent-fixed @10.0.0.7:2376"));
  }

  @Test
  void one_engine_shows_the_node_when_known() throws Exception {
    TargetSnapshot target = sample().withOrigin(TargetOrigin.UNKNOWN.withEngine("unix:///var/run/docker.sock")
        .withNode("worker-3"));

    assertThat(lines(table(List.of(target))).get(1)).contains(" @worker-3").doesNotContain("docker.sock");
  }

  @Test
  void an_engine_address_cannot_paint_the_terminal() throws Exception {
    TargetSnapshot twin = sample();
    String table = table(List.of(twin.withOrigin(TargetOrigin.UNKNOWN.withEngine("tcp://a\u001b[31m:1")),
        twin.withOrigin(TargetOrigin.UNKNOWN.withEngine("tcp://b:2"))));

    assertThat(table).doesNotContain("\u001b");
  }

  private static TargetSnapshot sample() throws Exception {
    return SnapshotFiles.load(SampleReports.repoRoot().resolve("samples/cases/connect-shell-0xa82c25fb/snapshot.yaml")).get(0);
  }

  private static String table(List<TargetSnapshot> targets) throws Exception {
    StringWriter text = new StringWriter();
    ConsoleReport.print(SampleReports.report(new Auditor(SampleReports.policy("nemoclaw-sandbox"))
        .audit(new ArrayList<>(targets)), Optional.empty()), new PrintWriter(text));
    return text.toString();
  }

  private static List<String> lines(String table) {
    return table.lines().toList();
  }
}

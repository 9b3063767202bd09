package dev.capaudit.reports.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.KubernetesIdentity;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonSnapshotsTest {
  private static String json(AuditReport report) throws Exception {
    StringWriter out = new StringWriter();
    new JsonReportWriter().write(report, out);
    return out.toString();
  }

  private static List<TargetSnapshot> snapshots(AuditReport report) {
    return report.result().targets().stream().map(TargetResult::target).toList();
  }

  @Test
  void a_report_reads_back_into_the_snapshots_and_policy_it_was_judged_from() throws Exception {
    AuditReport report = SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb",
        "child-forked-before-drop", "unreadable-status", "privileged-config-only", "ambient-nonroot");

    JsonReport read = JsonReports.v2(json(report), "r.json");

    assertThat(JsonSnapshots.targets(read)).containsExactlyElementsOf(snapshots(report));
    assertThat(JsonSnapshots.policy(read)).isEqualTo(report.result().policy());
  }

  @Test
  void threads_nested_pids_spec_views_and_origins_survive_the_round_trip() throws Exception {
    CapabilitySets sets = CapabilitySets.of(CapabilityMask.EMPTY, CapabilityMask.parse("0x200000"),
        CapabilityMask.parse("0x200000"), CapabilityMask.parse("0xa82c25fb"), CapabilityMask.EMPTY);
    ProcStatus leader = new ProcStatus(5000, List.of(5000, 7, 1), 4000, "bwrap", 1000, 1000, 1000, 1000, sets,
        Optional.of(false), Optional.empty());
    ProcStatus helper = new ProcStatus(5001, List.of(5001, 8, 2), 4000, "helper", 0, 0, 0, 0, sets,
        Optional.empty(), Optional.empty());
    ProcessSnapshot process = new ProcessSnapshot(leader, 7, 0, ObservationSource.HOST_PROC,
        List.of(new ThreadSnapshot(8, helper)));
    ExecView spec = new ExecView("0", true, sets, Optional.of(false), ObservationSource.EXEC_PROBE,
        Optional.of(CapabilitySets.of(CapabilityMask.EMPTY, CapabilityMask.EMPTY, CapabilityMask.EMPTY,
            CapabilityMask.parse("0xa80425fb"), CapabilityMask.EMPTY)));
    TargetSnapshot target = new TargetSnapshot(dev.capaudit.rules.model.TargetKind.CONTAINER, "abc", "web-0",
        "nginx", java.util.Map.of("app", "web"), Optional.empty(), List.of(process), List.of(spec), List.of(),
        List.of("a note")).withOrigin(new TargetOrigin("unix:///run/containerd/containerd.sock", "containerd",
            "k8s.io", "node-1", Optional.of(new KubernetesIdentity("web-0", "default", "uid-1", "app", false))));
    AuditReport report = SampleReports.report(new Auditor(SampleReports.policy("cis-docker")).audit(List.of(target)),
        Optional.empty());

    List<TargetSnapshot> read = JsonSnapshots.targets(JsonReports.v2(json(report), "r.json"));

    assertThat(read).containsExactly(target);
    assertThat(read.get(0).processes().get(0).nsPid()).hasValue(1);
  }

  @Test
  void duplicate_keys_and_other_versions_are_refused_with_a_reason() {
    assertThatThrownBy(() -> JsonReports.tree("{\"schemaVersion\": 2, \"targets\": [], \"schemaVersion\": 1}", "d"))
        .isInstanceOf(JsonReportException.class).hasMessageContaining("Duplicate field 'schemaVersion'");
    assertThatThrownBy(() -> JsonReports.tree("{\"schemaVersion\": 3, \"targets\": []}", "f.json"))
        .hasMessage("f.json has schemaVersion 3; this capaudit reads versions 1 and 2");
    assertThatThrownBy(() -> JsonReports.v2("{\"schemaVersion\": 1, \"targets\": []}", "old.json"))
        .hasMessageStartingWith("old.json is a schema version 1 report");
    assertThatThrownBy(() -> JsonReports.tree("[1, 2", "x")).hasMessageStartingWith("x is not valid JSON");
  }
}

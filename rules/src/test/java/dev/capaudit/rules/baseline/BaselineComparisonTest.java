package dev.capaudit.rules.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BaselineComparisonTest {
  private static final Policy POLICY = new Policy("p", "", Set.of(Capability.SYS_ADMIN), Map.of(),
      UnlistedAction.ALLOW, Set.of());
  private static final CapabilityMask SYS_ADMIN = CapabilityMask.of(Capability.SYS_ADMIN);

  /** One container whose processes (pid, name, uid) all hold SYS_ADMIN in the bounding set. */
  private static AuditResult run(TargetOrigin origin, Object... processes) {
    List<ProcessSnapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < processes.length; i += 3) {
      int pid = (Integer) processes[i];
      int uid = (Integer) processes[i + 2];
      ProcStatus status = new ProcStatus(7000 + pid, List.of(7000 + pid, pid), 1, (String) processes[i + 1], uid, uid,
          uid, uid, CapabilitySets.of(CapabilityMask.EMPTY, CapabilityMask.EMPTY, CapabilityMask.EMPTY, SYS_ADMIN,
              CapabilityMask.EMPTY), Optional.of(true), Optional.empty());
      snapshots.add(ProcessSnapshot.of(status, ObservationSource.HOST_PROC));
    }
    TargetSnapshot target = new TargetSnapshot(TargetKind.CONTAINER, "id-" + processes[0], "web", "img", Map.of(),
        Optional.empty(), snapshots, List.of(), List.of(), List.of()).withOrigin(origin);
    return new Auditor(POLICY).audit(List.of(target));
  }

  private static TargetOrigin node(String node) {
    return new TargetOrigin("unix:///var/run/docker.sock", "docker", "", node, Optional.empty());
  }

  @Test
  void a_restart_with_new_pids_is_not_a_new_finding() {
    AuditResult before = run(node("n1"), 1, "nginx", 0, 7, "nginx", 101);
    AuditResult after = run(node("n1"), 1, "nginx", 0, 42, "nginx", 101);

    BaselineComparison comparison = BaselineComparison.compare("b.json", after, BaselineEntry.of(before));

    assertThat(comparison.hasNewViolations(after, Severity.MEDIUM)).isFalse();
    assertThat(comparison.fixed()).isEmpty();
    var target = after.targets().get(0);
    assertThat(comparison.statusOf(target.target(), target.findings().get(0))).isEqualTo(FindingStatus.EXISTING);
  }

  @Test
  void a_new_holder_of_a_known_finding_makes_it_new() {
    AuditResult before = run(node("n1"), 1, "nginx", 0);
    AuditResult after = run(node("n1"), 1, "nginx", 0, 9, "sh", 0);

    BaselineComparison comparison = BaselineComparison.compare("b.json", after, BaselineEntry.of(before));

    var target = after.targets().get(0);
    var finding = target.findings().get(0);
    assertThat(comparison.statusOf(target.target(), finding)).isEqualTo(FindingStatus.NEW);
    assertThat(finding.occurrences()).extracting(o -> comparison.statusOf(target.target(), finding, o))
        .containsExactly(FindingStatus.EXISTING, FindingStatus.NEW);
    assertThat(comparison.hasNewViolations(after, Severity.MEDIUM)).isTrue();
    assertThat(comparison.hasNewViolations(after, Severity.HIGH)).as("must-drop-present is high").isTrue();
  }

  @Test
  void the_same_name_on_another_node_is_another_target() {
    AuditResult before = run(node("n1"), 1, "nginx", 0);
    AuditResult elsewhere = run(node("n2"), 1, "nginx", 0);

    BaselineComparison comparison = BaselineComparison.compare("b.json", elsewhere, BaselineEntry.of(before));

    assertThat(comparison.hasNewViolations(elsewhere, Severity.MEDIUM)).isTrue();
    assertThat(comparison.fixed()).extracting(e -> e.key().toString())
        .containsExactly("container:web@n1/unix:///var/run/docker.sock/docker|must-drop-present|CAP_SYS_ADMIN");
  }

  @Test
  void a_baseline_that_knew_no_origin_matches_by_kind_and_name() {
    AuditResult legacy = run(TargetOrigin.UNKNOWN, 1, "nginx", 0);
    AuditResult now = run(node("n1"), 3, "nginx", 0);

    BaselineComparison comparison = BaselineComparison.compare("v1.json", now, BaselineEntry.of(legacy));

    assertThat(comparison.hasNewViolations(now, Severity.MEDIUM)).isFalse();
    assertThat(comparison.fixed()).isEmpty();
  }

  @Test
  void a_finding_gone_entirely_is_fixed() {
    AuditResult before = run(node("n1"), 1, "nginx", 0);
    AuditResult after = new Auditor(POLICY).audit(List.of());

    BaselineComparison comparison = BaselineComparison.compare("b.json", after, BaselineEntry.of(before));

    assertThat(comparison.fixed()).singleElement().satisfies(e -> {
      assertThat(e.severity()).isEqualTo(Severity.HIGH);
      assertThat(e.holders()).extracting(HolderKey::toString).containsExactly("root-process process nginx uid=0");
    });
  }
}

package dev.capaudit.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import dev.capaudit.scanner.TestFiles;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PolicyWriterTest {
  private static Policy readBack(String text) throws PolicyFileException {
    return PolicyFiles.parse(text, "written.yaml");
  }

  private static Policy withReason(String reason) {
    return new Policy("minimal my/agent:ci", "Found by capaudit minimize", EnumSet.complementOf(EnumSet.of(
        Capability.SETUID)), Map.of(Capability.SETUID, new LoadBearing(Capability.SETUID, reason,
        EnumSet.of(AuditContext.CONFIG, AuditContext.ROOT_PROCESS))), UnlistedAction.FAIL,
        EnumSet.allOf(CapabilitySetKind.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cis-docker", "k8s-restricted", "nemoclaw-sandbox"})
  void a_shipped_policy_reads_back_the_same(String name) throws PolicyFileException {
    Policy shipped = PolicyFiles.load(TestFiles.sample("policies/" + name + ".yaml"));

    Policy again = readBack(PolicyWriter.write(shipped, List.of("written again")));

    assertThat(again).isEqualTo(shipped);
  }

  @Test
  void a_minimal_policy_is_written_as_a_reader_expects_it() throws PolicyFileException {
    String text = PolicyWriter.write(withReason("setpriv needs it"), List.of("capaudit minimize my/agent:ci"));

    assertThat(text).startsWith("# capaudit minimize my/agent:ci\napiVersion: capaudit/v1\nkind: CapabilityPolicy\n")
        .contains("  - capability: SETUID\n    reason: setpriv needs it\n    contexts:\n      - root-process\n"
            + "      - config\n")
        .contains("mustDrop:\n  - CHOWN\n  - DAC_OVERRIDE\n");
    assertThat(readBack(text).mustDrop()).hasSize(Capability.values().length - 1).doesNotContain(Capability.SETUID);
    assertThat(readBack(text).loadBearing().get(Capability.SETUID).contexts())
        .containsExactlyInAnyOrder(AuditContext.CONFIG, AuditContext.ROOT_PROCESS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "null", "~", "0x1e9", "123", "- item", "key: value", "# not a comment", "'single'",
      "\"double\"", " leading and trailing ", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick`",
      "setpriv: setresuid failed: Operation not permitted", "a\nb", "tab\there", "esc\u001b[31mred", "nel\u0085",
      "ls\u2028ps\u2029", "bidi\u202eevil", "nul\u0000", "bell\u0007", "c1\u009b", "noncharacter\ufffe", "emoji 🚀",
      "<img src=x onerror=alert(1)>&\"'"})
  void a_hostile_reason_reads_back_as_written(String reason) throws PolicyFileException {
    Policy policy = withReason(reason);

    Policy again = readBack(PolicyWriter.write(policy, List.of()));

    assertThat(again.loadBearing().get(Capability.SETUID).reason()).isEqualTo(reason);
    assertThat(again).isEqualTo(policy);
  }

  @Test
  void a_comment_cannot_break_out_of_its_line() throws PolicyFileException {
    String text = PolicyWriter.write(withReason("r"), List.of("image evil\nkind: Other\u2028mustDrop: []"));

    assertThat(text.lines().findFirst()).contains("# image evil?kind: Other?mustDrop: []");
    assertThat(readBack(text)).isEqualTo(withReason("r"));
  }

  @Test
  void a_capability_load_bearing_nowhere_is_refused() {
    Policy nowhere = new Policy("p", "", Set.of(), Map.of(Capability.KILL, new LoadBearing(Capability.KILL, "r",
        Set.of())), UnlistedAction.FAIL, Set.of());

    assertThatThrownBy(() -> PolicyWriter.write(nowhere, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CAP_KILL is load-bearing in no context");
  }
}

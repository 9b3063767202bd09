package dev.capaudit.scanner.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecSessionsTest {
  private static ProcessSnapshot process(int hostPid, int hostPpid, int pid, String name) {
    CapabilitySets none = CapabilitySets.of(CapabilityMask.EMPTY, CapabilityMask.EMPTY, CapabilityMask.EMPTY,
        CapabilityMask.EMPTY, CapabilityMask.EMPTY);
    return new ProcessSnapshot(new ProcStatus(hostPid, List.of(hostPid, pid), hostPpid, name, 0, 0, 0, 0, none,
        Optional.empty(), Optional.empty()), pid, 0, ObservationSource.HOST_PROC);
  }

  private static TargetSnapshot target(ProcessSnapshot... processes) {
    return new TargetSnapshot(TargetKind.CONTAINER, "c", "agent", "img", Map.of(), Optional.empty(),
        List.of(processes), List.of(), List.of(), List.of());
  }

  @Test
  void a_session_and_what_it_started_are_set_apart_and_the_entrypoints_tree_kept() {
    TargetSnapshot target = target(process(100, 90, 1, "sleep"), process(101, 100, 2, "worker"),
        process(150, 90, 7, "sh"), process(151, 150, 8, "capsh"), process(152, 151, 9, "cat"));

    TargetSnapshot without = ExecSessions.setAside(target, List.of(new ExecSessions.Session("e1", 150, "sh")));

    assertThat(without.processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(1, 2);
    assertThat(without.notes()).singleElement().asString().contains("host pid 150 (sh) is exec session e1");
  }

  @Test
  void a_reused_pid_under_another_name_is_not_the_session() {
    TargetSnapshot target = target(process(100, 90, 1, "sleep"), process(150, 90, 7, "nginx"));

    TargetSnapshot without = ExecSessions.setAside(target, List.of(new ExecSessions.Session("e1", 150, "sh")));

    assertThat(without).isSameAs(target);
  }
}

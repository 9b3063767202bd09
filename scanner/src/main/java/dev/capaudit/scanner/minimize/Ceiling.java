package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the workload's processes hold with the starting set, which no trial may exceed. Fewer capabilities can only
 * leave a process with fewer, unless its own drop failed: an entrypoint without SETPCAP cannot shrink its bounding
 * set, and setpriv then steps down to the agent with SETUID and SETGID still in it. Such a trial runs and is ready,
 * and is still wrong; it fails, naming what was kept.
 */
final class Ceiling {
  /** Per process name and effective uid: the union of each set over the baseline's processes and threads. */
  private final Map<String, Map<CapabilitySetKind, CapabilityMask>> byProcess = new HashMap<>();
  private final Map<String, Set<Long>> uidsByName = new HashMap<>();
  private final Map<CapabilitySetKind, CapabilityMask> any = new EnumMap<>(CapabilitySetKind.class);

  private Ceiling() {}

  static Ceiling of(TargetSnapshot baseline) {
    Ceiling ceiling = new Ceiling();
    for (ProcStatus status : statuses(baseline)) {
      ceiling.uidsByName.computeIfAbsent(status.name(), n -> new TreeSet<>()).add(uid(status));
      ceiling.add(ceiling.byProcess.computeIfAbsent(key(status), k -> new EnumMap<>(CapabilitySetKind.class)),
          status.capabilities());
      ceiling.add(ceiling.any, status.capabilities());
    }
    return ceiling;
  }

  /** How the trial's processes exceed the baseline; empty when none does. */
  List<String> excess(TargetSnapshot trial) {
    List<String> problems = new ArrayList<>();
    for (ProcStatus status : statuses(trial)) {
      Map<CapabilitySetKind, CapabilityMask> limit = byProcess.get(key(status));
      Set<Long> uids = uidsByName.get(status.name());
      if (limit == null && uids != null) {
        problems.add(describe(status) + " runs as uid " + uid(status) + "; with the starting set it ran as uid "
            + uids.iterator().next());
        continue;
      }
      for (Map.Entry<CapabilitySetKind, CapabilityMask> set : status.capabilities().masks().entrySet()) {
        CapabilityMask ceiling = (limit == null ? any : limit).getOrDefault(set.getKey(), CapabilityMask.EMPTY);
        CapabilityMask more = set.getValue().minus(ceiling);
        if (!more.isEmpty()) {
          problems.add(describe(status) + " holds " + String.join(", ", more.names()) + " in its "
              + set.getKey().id() + " set, which it does not hold with the starting set: its own drop failed");
        }
      }
    }
    return problems;
  }

  private void add(Map<CapabilitySetKind, CapabilityMask> into, CapabilitySets sets) {
    sets.masks().forEach((kind, mask) -> into.merge(kind, mask, CapabilityMask::union));
  }

  private static List<ProcStatus> statuses(TargetSnapshot target) {
    List<ProcStatus> statuses = new ArrayList<>();
    for (ProcessSnapshot process : target.processes()) {
      statuses.add(process.status());
      process.threads().stream().map(ThreadSnapshot::status).forEach(statuses::add);
    }
    return statuses;
  }

  private static String key(ProcStatus status) {
    return status.name() + "\u0000" + uid(status);
  }

  private static long uid(ProcStatus status) {
    return Integer.toUnsignedLong(status.effectiveUid());
  }

  static String describe(ProcStatus status) {
    return "pid " + status.innermostPid() + " (" + status.name() + ", uid " + uid(status) + ")";
  }
}

package dev.capaudit.scanner.watch;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sets a container's exec sessions apart from its own processes. An exec'd shell is in the container's cgroup and
 * pid namespace, so a scan lists it (and what it started) as a process of the container, judged in the process
 * contexts; the watch has already judged it as what it is, an exec shell, on its own line. Judging it a second time
 * as a process would give one process two verdicts, and let it borrow what the policy allows the entrypoint.
 */
final class ExecSessions {
  /** An exec session's process as the watch read it: its host pid and name (a reused pid has another name). */
  record Session(String execId, int hostPid, String name) {}

  private ExecSessions() {}

  /** The target without the sessions' processes and their descendants, noting each one set apart. */
  static TargetSnapshot setAside(TargetSnapshot target, Collection<Session> sessions) {
    if (sessions.isEmpty() || target.processes().isEmpty()) {
      return target;
    }
    Set<Integer> apart = new HashSet<>();
    List<String> notes = new ArrayList<>();
    for (Session session : sessions) {
      for (ProcessSnapshot process : target.processes()) {
        if (process.status().pid() == session.hostPid() && process.status().name().equals(session.name())) {
          apart.add(session.hostPid());
          notes.add("host pid " + session.hostPid() + " (" + session.name() + ") is exec session "
              + session.execId() + ", judged as an exec shell on its own line; it and what it started are not"
              + " judged again as the container's processes");
        }
      }
    }
    boolean grew = !apart.isEmpty();
    while (grew) {
      grew = false;
      for (ProcessSnapshot process : target.processes()) {
        if (!apart.contains(process.status().pid()) && apart.contains(process.status().ppid())) {
          grew = apart.add(process.status().pid()) || grew;
        }
      }
    }
    if (apart.isEmpty()) {
      return target;
    }
    List<ProcessSnapshot> kept = target.processes().stream().filter(p -> !apart.contains(p.status().pid())).toList();
    TargetSnapshot without = new TargetSnapshot(target.kind(), target.id(), target.name(), target.image(),
        target.labels(), target.config(), kept, target.exec(), target.errors(), target.notes(), target.gate(),
        target.origin());
    return without.withMore(List.of(), notes);
  }
}

package dev.capaudit.scanner.proc;

import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one process with all its threads from the host's /proc. Capabilities are per thread, and
 * {@code /proc/PID/status} shows the leader only: every {@code /proc/PID/task/TID/status} is read, and a thread whose
 * uid or sets differ from the leader's is kept beside it.
 */
public final class ProcessReader {
  private final HostProc proc;
  private final List<String> errors;
  private final List<String> notes;

  /** Collects read problems into the target's errors and notes. */
  public ProcessReader(HostProc proc, List<String> errors, List<String> notes) {
    this.proc = proc;
    this.errors = errors;
    this.notes = notes;
  }

  /**
   * The process and its differing threads; empty when it vanished or its status could not be parsed (that is an
   * error of the target: a process that cannot be read is never passed).
   */
  public Optional<ProcessSnapshot> read(Attribution.Member member, int level) {
    ProcessTable.Entry entry = member.entry();
    if (entry.status().isEmpty()) {
      entry.error().ifPresent(errors::add);
      return Optional.empty();
    }
    ProcStatus leader = entry.status().get();
    List<ThreadSnapshot> threads = new ArrayList<>();
    // A single-threaded process has no other thread to read; the kernel's count saves listing its task directory.
    List<Integer> tids = entry.threads() == 1 && !entry.zombie() ? List.of() : proc.taskIds(entry.pid());
    for (int tid : tids) {
      if (tid == entry.pid()) {
        continue;
      }
      Optional<String> text = proc.taskStatus(entry.pid(), tid);
      if (text.isEmpty() || ProcessTable.isZombie(text.get())) {
        continue; // the thread exited while it was read: nothing left to hold a capability
      }
      try {
        ProcStatus status = ProcStatusParser.parse(text.get());
        threads.add(new ThreadSnapshot(Attribution.pidAt(status, level), status));
      } catch (ProcStatusFormatException e) {
        errors.add("host pid " + entry.pid() + " thread " + tid + ": " + e.getMessage());
      }
    }
    ProcStatus representative = leader;
    if (entry.zombie() && !threads.isEmpty()) {
      // The leader exited but its threads live on: the process is what its threads hold, not "gone".
      ProcStatus live = threads.get(0).status();
      representative = new ProcStatus(leader.pid(), leader.nsPids(), leader.ppid(), live.name(), live.realUid(),
          live.effectiveUid(), live.realGid(), live.effectiveGid(), live.capabilities(), live.noNewPrivs(),
          live.seccomp());
      notes.add("pid " + member.pidInContainer() + ": its leader thread has exited; audited through its "
          + threads.size() + " live thread(s)");
    }
    ProcStatus judged = representative;
    List<ThreadSnapshot> differing = threads.stream().filter(t -> !t.sameCredentials(judged)).toList();
    return Optional.of(new ProcessSnapshot(representative, member.pidInContainer(), 0, ObservationSource.HOST_PROC,
        differing));
  }
}

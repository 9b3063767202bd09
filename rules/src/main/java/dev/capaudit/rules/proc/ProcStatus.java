package dev.capaudit.rules.proc;

import dev.capaudit.rules.capability.CapabilitySets;
import java.util.List;
import java.util.Optional;

/**
 * The fields of one /proc/N/status that an audit needs. Fields a kernel did not print are absent, never zero.
 *
 * @param name the process name exactly as the kernel printed it (escaped by the kernel, attacker-controlled)
 * @param nsPids the NSpid field: the pid in each nested pid namespace, outermost first (empty when absent)
 * @param realUid the ids are unsigned 32-bit in the kernel and kept as their bit pattern: 4294967295 (an unmapped
 *     id) is -1 here; print them with {@link Integer#toUnsignedString(int)}
 */
public record ProcStatus(
    int pid,
    List<Integer> nsPids,
    int ppid,
    String name,
    int realUid,
    int effectiveUid,
    int realGid,
    int effectiveGid,
    CapabilitySets capabilities,
    Optional<Boolean> noNewPrivs,
    Optional<SeccompMode> seccomp) {

  public ProcStatus {
    nsPids = List.copyOf(nsPids);
  }

  /** The pid as the innermost pid namespace (the container) sees it. */
  public int innermostPid() {
    return nsPids.isEmpty() ? pid : nsPids.get(nsPids.size() - 1);
  }

  /** Root for the purpose of capability rules: the kernel grants capabilities on exec to euid 0. */
  public boolean runsAsRoot() {
    return effectiveUid == 0;
  }
}

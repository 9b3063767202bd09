package dev.capaudit.rules.proc;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the text of /proc/N/status. Unknown fields are ignored (every kernel adds some). A line that is not
 * {@code Key:<tab>value}, a key given twice, a value that is not what the field requires or is outside the kernel's
 * range, or a missing capability set is an error naming the line: a text the kernel could not have printed is never
 * read as a process that holds nothing.
 */
public final class ProcStatusParser {
  /**
   * The sets every kernel since 2.6.26 (2008) prints; without them a text is not a whole status (a truncated capture,
   * a hand-made file, a {@code --proc-root} that is not procfs), and reading the missing sets as empty would pass it.
   * CapAmb came with Linux 4.3 and may be absent: the report then leaves it out rather than showing zero.
   */
  static final Set<CapabilitySetKind> REQUIRED_SETS = EnumSet.of(CapabilitySetKind.INHERITABLE,
      CapabilitySetKind.PERMITTED, CapabilitySetKind.EFFECTIVE, CapabilitySetKind.BOUNDING);
  /** The largest pid a kernel hands out: pids stay below pid_max, which is at most PID_MAX_LIMIT (2^22). */
  static final long MAX_PID = (1L << 22) - 1;
  /** uids and gids are unsigned 32-bit; 4294967295 is (uid_t) -1, which the kernel prints for unmapped ids. */
  static final long MAX_ID = 0xffff_ffffL;
  /** The kernel prints masks as %016llx (%08x before 2.6.25): hex digits only, no 0x and no sign. */
  private static final Pattern HEX_MASK = Pattern.compile("[0-9a-fA-F]{1,16}");

  private ProcStatusParser() {}

  public static ProcStatus parse(String text) throws ProcStatusFormatException {
    StatusFields fields = StatusFields.read(text);
    int pid = (int) fields.require("Pid").number(1, MAX_PID);
    List<Integer> nsPids = nsPids(fields, pid);
    int ppid = (int) fields.require("PPid").number(0, MAX_PID);
    String name = fields.require("Name").value();
    long[] uids = ids(fields.require("Uid"));
    long[] gids = ids(fields.require("Gid"));
    // Ids above Integer.MAX_VALUE are kept as their unsigned 32-bit pattern; ProcStatus documents the ints as such.
    return new ProcStatus(pid, nsPids, ppid, name, (int) uids[0], (int) uids[1], (int) gids[0], (int) gids[1],
        capabilities(fields), noNewPrivs(fields), seccomp(fields));
  }

  /** NSpid lists the pid from the reader's namespace inwards, so its first entry is the Pid field itself. */
  private static List<Integer> nsPids(StatusFields fields, int pid) throws ProcStatusFormatException {
    Optional<StatusFields.Field> field = fields.optional("NSpid");
    if (field.isEmpty()) {
      return List.of();
    }
    List<Integer> nsPids = new ArrayList<>();
    for (long value : field.get().numbers(1, MAX_PID)) {
      nsPids.add((int) value);
    }
    if (nsPids.get(0) != pid) {
      throw field.get().problem("NSpid starts with " + nsPids.get(0) + " but Pid is " + pid);
    }
    return nsPids;
  }

  /** The kernel prints four ids (real, effective, saved, filesystem); only the first two matter here. */
  private static long[] ids(StatusFields.Field field) throws ProcStatusFormatException {
    List<Long> ids = field.numbers(0, MAX_ID);
    if (ids.size() != 4) {
      throw field.problem("'" + field.key() + "' needs 4 ids (real, effective, saved, filesystem) but has "
          + ids.size());
    }
    return new long[] {ids.get(0), ids.get(1)};
  }

  private static CapabilitySets capabilities(StatusFields fields) throws ProcStatusFormatException {
    Map<CapabilitySetKind, CapabilityMask> masks = new EnumMap<>(CapabilitySetKind.class);
    for (CapabilitySetKind kind : CapabilitySetKind.values()) {
      Optional<StatusFields.Field> field = fields.optional(kind.procField());
      if (field.isEmpty() && REQUIRED_SETS.contains(kind)) {
        throw new ProcStatusFormatException("missing field '" + kind.procField() + "': every kernel since 2.6.26"
            + " prints CapInh, CapPrm, CapEff and CapBnd, so this is not a whole /proc/N/status");
      }
      if (field.isPresent()) {
        masks.put(kind, mask(field.get()));
      }
    }
    return new CapabilitySets(masks);
  }

  private static CapabilityMask mask(StatusFields.Field field) throws ProcStatusFormatException {
    String hex = field.trimmed();
    if (!HEX_MASK.matcher(hex).matches()) {
      // Worded as CapabilityMask words it, which reports and their golden files already show.
      throw field.problem(field.key() + " not a capability mask (at most 16 hex digits): '"
          + StatusFields.abbreviate(field.value()) + "'"
          + (hex.startsWith("0x") || hex.startsWith("0X") ? "; the kernel prints no 0x" : ""));
    }
    return CapabilityMask.parse(hex);
  }

  private static Optional<Boolean> noNewPrivs(StatusFields fields) throws ProcStatusFormatException {
    Optional<StatusFields.Field> field = fields.optional("NoNewPrivs");
    if (field.isEmpty()) {
      return Optional.empty();
    }
    String value = field.get().trimmed();
    if (!value.equals("0") && !value.equals("1")) {
      throw field.get().problem("NoNewPrivs must be 0 or 1");
    }
    return Optional.of(value.equals("1"));
  }

  private static Optional<SeccompMode> seccomp(StatusFields fields) throws ProcStatusFormatException {
    Optional<StatusFields.Field> field = fields.optional("Seccomp");
    if (field.isEmpty()) {
      return Optional.empty();
    }
    String value = field.get().trimmed();
    Optional<SeccompMode> mode = value.length() == 1 && value.charAt(0) >= '0' && value.charAt(0) <= '9'
        ? SeccompMode.fromProcValue(value.charAt(0) - '0') : Optional.empty();
    if (mode.isEmpty()) {
      throw field.get().problem("unknown Seccomp mode " + StatusFields.abbreviate(value));
    }
    return mode;
  }
}

package dev.capaudit.scanner.runtime;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;

/**
 * A file's capabilities ({@code security.capability}) as {@code getcap} prints them: its permitted and inheritable
 * sets and whether the effective bit is set.
 */
public record FileCapabilities(CapabilityMask permitted, CapabilityMask inheritable, boolean effective) {
  public static final FileCapabilities NONE = new FileCapabilities(CapabilityMask.EMPTY, CapabilityMask.EMPTY, false);

  public boolean isEmpty() {
    return permitted.isEmpty() && inheritable.isEmpty();
  }

  /**
   * Reads getcap's clauses as libcap's {@code cap_from_text} does: left to right, each clause names capabilities
   * (none means all) and applies operators to flags: {@code =} sets exactly, {@code +} adds, {@code -} removes.
   */
  public static FileCapabilities parse(String clauses) {
    CapabilityMask permitted = CapabilityMask.EMPTY;
    CapabilityMask inheritable = CapabilityMask.EMPTY;
    CapabilityMask effective = CapabilityMask.EMPTY;
    for (String clause : clauses.trim().split("\\s+")) {
      int op = indexOfOperator(clause);
      if (op < 0) {
        continue;
      }
      CapabilityMask named = op == 0 ? CapabilityMask.ALL_KNOWN : named(clause.substring(0, op));
      int i = op;
      while (i < clause.length()) {
        char operator = clause.charAt(i++);
        int flagsStart = i;
        while (i < clause.length() && "=+-".indexOf(clause.charAt(i)) < 0) {
          i++;
        }
        String flags = clause.substring(flagsStart, i);
        permitted = apply(permitted, named, operator, flags.indexOf('p') >= 0);
        inheritable = apply(inheritable, named, operator, flags.indexOf('i') >= 0);
        effective = apply(effective, named, operator, flags.indexOf('e') >= 0);
      }
    }
    return new FileCapabilities(permitted, inheritable, !effective.isEmpty());
  }

  private static CapabilityMask apply(CapabilityMask set, CapabilityMask named, char operator, boolean flagged) {
    if (operator == '=') {
      return flagged ? set.union(named) : set.minus(named);
    }
    if (operator == '+' && flagged) {
      return set.union(named);
    }
    if (operator == '-' && flagged) {
      return set.minus(named);
    }
    return set;
  }

  private static CapabilityMask named(String names) {
    CapabilityMask mask = CapabilityMask.EMPTY;
    for (String name : names.split(",")) {
      mask = mask.union(Capability.parse(name).map(CapabilityMask::of).orElse(CapabilityMask.EMPTY));
    }
    return mask;
  }

  private static int indexOfOperator(String clause) {
    for (int i = 0; i < clause.length(); i++) {
      char c = clause.charAt(i);
      if (c == '=' || c == '+' || c == '-') {
        return i;
      }
    }
    return -1;
  }
}

package dev.capaudit.rules.capability;

import dev.capaudit.rules.text.AsciiCase;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The five capability sets of a thread, with the field name /proc/N/status gives each. */
public enum CapabilitySetKind {
  INHERITABLE("CapInh"),
  PERMITTED("CapPrm"),
  EFFECTIVE("CapEff"),
  BOUNDING("CapBnd"),
  AMBIENT("CapAmb");

  private final String procField;

  CapabilitySetKind(String procField) {
    this.procField = procField;
  }

  public String procField() {
    return procField;
  }

  /** The name used in policies and reports: {@code bounding}, {@code effective}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CapabilitySetKind> fromId(String id) {
    return Arrays.stream(values()).filter(k -> AsciiCase.equalsIgnoreCase(k.id(), id.trim())).findFirst();
  }

  public static Optional<CapabilitySetKind> fromProcField(String field) {
    return Arrays.stream(values()).filter(k -> k.procField.equals(field)).findFirst();
  }
}

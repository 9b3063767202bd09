package dev.capaudit.rules.proc;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the text of /proc/N/status. Unknown fields are ignored (every kernel adds some); a line that is not
 * {@code Key:<tab>value} or a value that is not what the field requires is an error naming the line.
 */
public final class ProcStatusParser {
  private ProcStatusParser() {}

  public static ProcStatus parse(String text) throws ProcStatusFormatException {
    Map<String, Field> fields = readFields(text);
    int pid = requireInt(fields, "Pid");
    return new ProcStatus(
        pid,
        optionalInts(fields, "NSpid"),
        requireInt(fields, "PPid"),
        require(fields, "Name").value(),
        requireIds(fields, "Uid")[0],
        requireIds(fields, "Uid")[1],
        requireIds(fields, "Gid")[0],
        requireIds(fields, "Gid")[1],
        capabilities(fields),
        noNewPrivs(fields),
        seccomp(fields));
  }

  private record Field(int line, String value) {}

  private static Map<String, Field> readFields(String text) throws ProcStatusFormatException {
    Map<String, Field> fields = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.substring(0, colon).chars().anyMatch(Character::isWhitespace)) {
        throw new ProcStatusFormatException("line " + (i + 1) + ": expected 'Key:<tab>value' but found '"
            + abbreviate(line) + "'");
      }
      // The kernel separates key and value with a tab; the Name value itself may contain spaces and must stay
      // verbatim, so only the separator is stripped, not the value's own whitespace.
      String value = line.substring(colon + 1);
      value = value.startsWith("\t") ? value.substring(1) : value.strip();
      fields.putIfAbsent(line.substring(0, colon), new Field(i + 1, value));
    }
    return fields;
  }

  private static Field require(Map<String, Field> fields, String key) throws ProcStatusFormatException {
    Field field = fields.get(key);
    if (field == null) {
      throw new ProcStatusFormatException("missing field '" + key + "'");
    }
    return field;
  }

  private static int requireInt(Map<String, Field> fields, String key) throws ProcStatusFormatException {
    Field field = require(fields, key);
    return toInt(field, field.value().trim());
  }

  private static int[] requireIds(Map<String, Field> fields, String key) throws ProcStatusFormatException {
    Field field = require(fields, key);
    List<Integer> ids = ints(field);
    if (ids.size() < 2) {
      throw new ProcStatusFormatException("line " + field.line() + ": '" + key + "' needs real and effective ids");
    }
    return new int[] {ids.get(0), ids.get(1)};
  }

  private static List<Integer> optionalInts(Map<String, Field> fields, String key) throws ProcStatusFormatException {
    Field field = fields.get(key);
    return field == null ? List.of() : ints(field);
  }

  private static List<Integer> ints(Field field) throws ProcStatusFormatException {
    List<Integer> result = new ArrayList<>();
    for (String part : field.value().trim().split("\\s+")) {
      result.add(toInt(field, part));
    }
    return result;
  }

  private static int toInt(Field field, String text) throws ProcStatusFormatException {
    try {
      // uids are unsigned 32-bit in the kernel; 4294967295 (-1) appears for unmapped ids.
      return (int) Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ProcStatusFormatException("line " + field.line() + ": '" + abbreviate(text) + "' is not a number");
    }
  }

  private static CapabilitySets capabilities(Map<String, Field> fields) throws ProcStatusFormatException {
    Map<CapabilitySetKind, CapabilityMask> masks = new EnumMap<>(CapabilitySetKind.class);
    for (CapabilitySetKind kind : CapabilitySetKind.values()) {
      Field field = fields.get(kind.procField());
      if (field == null) {
        continue;
      }
      try {
        masks.put(kind, CapabilityMask.parse(field.value()));
      } catch (IllegalArgumentException e) {
        throw new ProcStatusFormatException("line " + field.line() + ": " + kind.procField() + " " + e.getMessage());
      }
    }
    return new CapabilitySets(masks);
  }

  private static Optional<Boolean> noNewPrivs(Map<String, Field> fields) throws ProcStatusFormatException {
    Field field = fields.get("NoNewPrivs");
    if (field == null) {
      return Optional.empty();
    }
    int value = toInt(field, field.value().trim());
    if (value != 0 && value != 1) {
      throw new ProcStatusFormatException("line " + field.line() + ": NoNewPrivs must be 0 or 1");
    }
    return Optional.of(value == 1);
  }

  private static Optional<SeccompMode> seccomp(Map<String, Field> fields) throws ProcStatusFormatException {
    Field field = fields.get("Seccomp");
    if (field == null) {
      return Optional.empty();
    }
    int value = toInt(field, field.value().trim());
    Optional<SeccompMode> mode = SeccompMode.fromProcValue(value);
    if (mode.isEmpty()) {
      throw new ProcStatusFormatException("line " + field.line() + ": unknown Seccomp mode " + value);
    }
    return mode;
  }

  private static String abbreviate(String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}

package dev.capaudit.scanner.live;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every process's status in a container in one exec, for when the host's /proc cannot be read. The dump is
 * produced by the container's own shell and cat, so reports mark it as such; the probe's own processes are removed.
 */
final class ProcStatusDump {
  private static final String SELF = "capaudit-self ";
  private static final String BEGIN = "capaudit-status ";
  private static final Pattern PID = Pattern.compile("(?m)^Pid:\\s*(\\d+)\\s*$");
  private static final Pattern PPID = Pattern.compile("(?m)^PPid:\\s*(\\d+)\\s*$");

  /** The command: one shell that cats every status, marking each with a line the parser splits on. */
  static final List<String> COMMAND = List.of("sh", "-c",
      "echo \"" + SELF + "$$\"; for f in /proc/[0-9]*/status; do echo \"" + BEGIN + "$f\"; cat \"$f\" 2>/dev/null;"
          + " done");

  private ProcStatusDump() {}

  /** The status texts of the container's processes, without the probe shell and the cats it started. */
  static List<String> split(String output) {
    String self = null;
    List<String> sections = new ArrayList<>();
    StringBuilder current = null;
    for (String line : output.split("\n", -1)) {
      if (line.startsWith(SELF) && self == null) {
        self = line.substring(SELF.length()).trim();
      } else if (line.startsWith(BEGIN)) {
        if (current != null) {
          sections.add(current.toString());
        }
        current = new StringBuilder();
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    if (current != null) {
      sections.add(current.toString());
    }
    List<String> result = new ArrayList<>();
    for (String section : sections) {
      if (!section.isBlank() && !isProbe(section, self)) {
        result.add(section);
      }
    }
    return result;
  }

  private static boolean isProbe(String section, String self) {
    if (self == null) {
      return false;
    }
    return self.equals(field(PID, section)) || self.equals(field(PPID, section));
  }

  private static String field(Pattern pattern, String section) {
    Matcher matcher = pattern.matcher(section);
    return matcher.find() ? matcher.group(1) : null;
  }
}

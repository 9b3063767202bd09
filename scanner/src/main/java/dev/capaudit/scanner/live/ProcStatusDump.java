package dev.capaudit.scanner.live;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every thread's status in a container in one exec, for when the host's /proc cannot be read. The dump is
 * produced by the container's own shell and cat, so reports mark it as such; the probe's own processes are removed.
 */
final class ProcStatusDump {
  private static final String SELF = "capaudit-self ";
  private static final String BEGIN = "capaudit-status ";
  private static final Pattern PATH = Pattern.compile("/proc/(\\d+)/task/(\\d+)/status");
  private static final Pattern PPID = Pattern.compile("(?m)^PPid:\\s*(\\d+)\\s*$");

  /** The command: one shell that cats every thread's status, marking each with a line the parser splits on. */
  static final List<String> COMMAND = List.of("sh", "-c",
      "echo \"" + SELF + "$$\"; for f in /proc/[0-9]*/task/[0-9]*/status; do echo \"" + BEGIN + "$f\";"
          + " cat \"$f\" 2>/dev/null; done");

  /**
   * One thread's status as the container's /proc showed it.
   *
   * @param pid the process (thread group) in the container's namespace
   * @param tid the thread; equal to {@code pid} for the leader
   */
  record Section(int pid, int tid, String text) {
    boolean leader() {
      return pid == tid;
    }
  }

  private ProcStatusDump() {}

  /** The status texts of the container's threads, without the probe shell and the cats it started. */
  static List<Section> split(String output) {
    String self = null;
    List<Section> sections = new ArrayList<>();
    Matcher current = null;
    StringBuilder text = null;
    for (String line : output.split("\n", -1)) {
      if (line.startsWith(SELF) && self == null) {
        self = line.substring(SELF.length()).trim();
      } else if (line.startsWith(BEGIN)) {
        add(sections, current, text);
        current = PATH.matcher(line.substring(BEGIN.length()).trim());
        text = new StringBuilder();
      } else if (text != null) {
        text.append(line).append('\n');
      }
    }
    add(sections, current, text);
    List<Section> result = new ArrayList<>();
    for (Section section : sections) {
      if (!section.text().isBlank() && !isProbe(section, self)) {
        result.add(section);
      }
    }
    return result;
  }

  private static void add(List<Section> sections, Matcher path, StringBuilder text) {
    if (path != null && text != null && path.matches()) {
      sections.add(new Section(Integer.parseInt(path.group(1)), Integer.parseInt(path.group(2)), text.toString()));
    }
  }

  private static boolean isProbe(Section section, String self) {
    if (self == null) {
      return false;
    }
    Matcher ppid = PPID.matcher(section.text());
    return self.equals(Integer.toString(section.pid())) || ppid.find() && self.equals(ppid.group(1));
  }
}

package dev.capaudit.cli.watch;

import dev.capaudit.reports.console.Printable;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.scanner.watch.ExecProcess;
import dev.capaudit.scanner.watch.FindingId;
import dev.capaudit.scanner.watch.WatchChange;
import java.util.List;

/**
 * The readable line of a change: time, kind, target, verdict and what changed. Names, labels, commands and messages
 * come from whoever runs the container, so every one of them is shown through {@link Printable}: no control
 * character or bidi override reaches the terminal.
 */
final class ReadableLine {
  private ReadableLine() {}

  static String of(WatchChange change) {
    String time = change.time().toString();
    if (change instanceof WatchChange.Audited audited) {
      TargetResult result = audited.result();
      return time + " target  " + who(result.target().name(), result.target().id()) + " " + result.verdict().id()
          + " (" + audited.trigger() + (audited.first() ? ", new target" : "") + "): "
          + Printable.of(result.headline()) + changes(audited.added(), audited.fixed());
    }
    if (change instanceof WatchChange.ExecOpened opened) {
      TargetResult result = opened.result();
      ExecProcess exec = opened.exec();
      return time + " exec    " + who(result.target().name(), result.target().id()) + " " + result.verdict().id()
          + ": exec " + shortId(exec.id()) + " as " + Printable.of(exec.user()) + process(exec) + ": "
          + Printable.of(result.headline());
    }
    if (change instanceof WatchChange.Stopped stopped) {
      return time + " stopped " + who(stopped.name(), stopped.containerId()) + (stopped.removed() ? " removed" : "")
          + (stopped.exitCode().isPresent() ? " (exit code " + stopped.exitCode().getAsLong() + ")" : "");
    }
    WatchChange.Problem problem = (WatchChange.Problem) change;
    return time + " error   " + (problem.containerId().isEmpty() ? "watch"
        : who(problem.name(), problem.containerId())) + ": " + Printable.of(problem.message());
  }

  private static String who(String name, String id) {
    String shown = name.isEmpty() ? shortId(id) : Printable.of(name);
    return id.isEmpty() || shown.equals(shortId(id)) ? shown : shown + " (" + shortId(id) + ")";
  }

  private static String shortId(String id) {
    return Printable.of(id.length() > 12 ? id.substring(0, 12) : id);
  }

  private static String process(ExecProcess exec) {
    if (exec.hostPid().isEmpty()) {
      return "";
    }
    return " (host pid " + exec.hostPid().getAsInt() + (exec.processName().isEmpty() ? ""
        : " " + Printable.of(exec.processName())) + (exec.uid().isPresent() ? ", uid " + exec.uid().getAsLong() : "")
        + (exec.privileged() ? ", privileged" : "") + ")";
  }

  private static String changes(List<FindingId> added, List<FindingId> fixed) {
    StringBuilder text = new StringBuilder();
    if (!added.isEmpty()) {
      text.append("; new: ").append(names(added));
    }
    if (!fixed.isEmpty()) {
      text.append("; fixed: ").append(names(fixed));
    }
    return text.toString();
  }

  /** A CapAdd entry that names no capability is kept verbatim as the finding's capability: escaped too. */
  private static String names(List<FindingId> findings) {
    return Printable.of(String.join(", ", findings.stream().map(FindingId::toString).toList()));
  }
}

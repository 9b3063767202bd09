package dev.capaudit.cli.watch;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.reports.json.JsonReportMapper;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.watch.ExecProcess;
import dev.capaudit.scanner.watch.WatchChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Turns a change into its JSON line, the target's part mapped exactly as the JSON report maps a target. */
public final class WatchLines {
  private final Policy policy;
  private final String toolVersion;

  public WatchLines(Policy policy, String toolVersion) {
    this.policy = policy;
    this.toolVersion = toolVersion;
  }

  /** The line for a change; empty for a reconnection, which is said on standard error. */
  public Optional<WatchLine> of(WatchChange change) {
    return change instanceof WatchChange.Reconnected ? Optional.empty() : Optional.of(line(change));
  }

  private WatchLine line(WatchChange change) {
    String time = change.time().toString();
    if (change instanceof WatchChange.Audited audited) {
      JsonReport.Target target = target(audited.result(), audited.time());
      return new WatchLine("target", time, audited.trigger(), identity(target), null, null, target.verdict(),
          target.headline(), target.incomplete(), audited.added(), audited.fixed(), null, target.findings(), null);
    }
    if (change instanceof WatchChange.ExecOpened opened) {
      JsonReport.Target target = target(opened.result(), opened.time());
      return new WatchLine("exec", time, "exec_start", identity(target), null, null, target.verdict(),
          target.headline(), target.incomplete(), null, null, exec(opened, target), target.findings(), null);
    }
    if (change instanceof WatchChange.Stopped stopped) {
      return new WatchLine("target", time, stopped.removed() ? "destroy" : "die", new WatchLine.Identity("container",
          stopped.containerId(), stopped.name(), null, null, null), stopped.removed() ? "removed" : "exited",
          stopped.exitCode().isPresent() ? stopped.exitCode().getAsLong() : null, null, null, null, null, null, null,
          null, null);
    }
    WatchChange.Problem problem = (WatchChange.Problem) change;
    WatchLine.Identity identity = problem.containerId().isEmpty() ? null
        : new WatchLine.Identity("container", problem.containerId(), problem.name(), null, null, null);
    return new WatchLine("error", time, null, identity, null, null, null, null, null, null, null, null, null,
        problem.message());
  }

  /** The target as the JSON report writes it: a report of one target, so every field is mapped by the same code. */
  private JsonReport.Target target(TargetResult result, Instant time) {
    AuditReport report = new AuditReport(new AuditResult(policy, List.of(result)), toolVersion, Optional.empty(),
        time);
    return JsonReportMapper.toReport(report).targets().get(0);
  }

  private static WatchLine.Identity identity(JsonReport.Target target) {
    return new WatchLine.Identity(target.kind(), target.id(), target.name(), target.image(), target.origin(),
        target.labels());
  }

  private static WatchLine.Exec exec(WatchChange.ExecOpened opened, JsonReport.Target target) {
    ExecProcess exec = opened.exec();
    JsonReport.Exec view = target.exec().isEmpty() ? null : target.exec().get(0);
    String context = view == null ? null : AuditContext.forExec(view.root()).id();
    return new WatchLine.Exec(exec.id(), exec.user(), exec.uid().isPresent() ? exec.uid().getAsLong() : null,
        exec.hostPid().isPresent() ? exec.hostPid().getAsInt() : null,
        exec.processName().isEmpty() ? null : exec.processName(), exec.command(), exec.privileged(), context, view);
  }
}

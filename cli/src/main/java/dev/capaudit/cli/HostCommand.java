package dev.capaudit.cli;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.live.HostScanner;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Audits every process on this machine, each attributed to its container or to the host. */
@Command(name = "host", mixinStandardHelpOptions = true,
    description = "Audit every process on this host from /proc, each attributed to its container (by cgroup) or to"
        + " the host itself. An engine, when one answers, adds container names and configuration.")
final class HostCommand extends AbstractCommand {
  @Mixin
  AuditOptions options = new AuditOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    return AuditRun.judgeAndReport(options.policy.load(), scanHost(options.engine, null), options.reports, out());
  }

  /** Reads this host's processes; uses the engine when one answers (or the one given), for container names. */
  static List<TargetSnapshot> scanHost(EngineOptions options, DockerEngine given) throws CliProblem {
    HostScanner scanner = new HostScanner(options.hostProc());
    if (!options.hostProc().readable()) {
      throw CliProblem.tool("cannot read " + options.procRoot + ": run on the host, or mount its /proc and pass"
          + " --proc-root");
    }
    try {
      if (given != null) {
        return scanner.scan(Optional.of(given));
      }
      try (DockerEngine docker = options.connectOrExplain()) {
        return scanner.scan(Optional.of(docker));
      } catch (EngineUnavailableException e) {
        if (options.selection().named()) {
          // The user asked for this engine's names and configuration: never pretend it was not asked for.
          throw CliProblem.tool(e.getMessage());
        }
        return scanner.scan(Optional.empty());
      }
    } catch (IOException e) {
      throw CliProblem.tool("cannot read " + options.procRoot + ": " + e.getMessage());
    }
  }
}

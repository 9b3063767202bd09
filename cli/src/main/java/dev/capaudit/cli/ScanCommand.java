package dev.capaudit.cli;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.reports.console.Printable;
import dev.capaudit.scanner.docker.EngineSelection;
import dev.capaudit.scanner.live.ExecViewMode;
import dev.capaudit.scanner.live.FleetScanner;
import dev.capaudit.scanner.live.HostScanSettings;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.snapshot.SnapshotFileException;
import dev.capaudit.scanner.snapshot.SnapshotFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Audits containers (live or captured) against a policy. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Audit containers against a capability policy: configuration, every process (read from the"
        + " host's /proc where possible), and what a docker exec shell gets.",
        "With no target and no option: every running and paused container when an engine answers, otherwise this"
            + " host's processes (as 'capaudit host'). Named targets, --all, --label and a named engine (--host,"
            + " --context, DOCKER_HOST, DOCKER_CONTEXT) never fall back.",
        "A created or exited container named here is judged on its configuration only: a violation fails it, and"
            + " with no process to audit it is never a pass (exit 5)."})
final class ScanCommand extends AbstractCommand {
  @Parameters(paramLabel = "NAME|ID", arity = "0..*", description = "Containers to audit.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--all", description = "Audit every running and paused container.")
  boolean all;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Audit running and paused containers with"
      + " this label (repeatable; all must match).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--exec-user", paramLabel = "USER", description = "Also view the exec shell as this user"
      + " (repeatable), besides the configured user and root.")
  List<String> execUsers = new ArrayList<>();

  @Option(names = "--exec-view", paramLabel = "auto|probe|derive|verify", defaultValue = "AUTO",
      description = "How the docker exec shell view is read: 'auto' computes it from the runtime's own OCI spec"
          + " where it can be read (what the engine starts an exec from), else probes, else derives it; 'probe' runs"
          + " cat /proc/self/status by exec as each user; 'derive' never execs (spec, else the configuration);"
          + " 'verify' does both and reports any difference (rule exec-view-mismatch). Default: auto.")
  ExecViewMode execView;

  @Option(names = "--snapshot", paramLabel = "FILE",
      description = "Audit a captured snapshot file instead of live containers (repeatable).")
  List<Path> snapshots = new ArrayList<>();

  @Option(names = "--exec-timeout", paramLabel = "SECONDS", defaultValue = "15",
      description = "The longest one exec probe may take; a probe that overruns is killed. Default: ${DEFAULT-VALUE}.")
  int execTimeout;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
      description = "Containers audited at once. Default: ${DEFAULT-VALUE}.")
  int parallel;

  @Mixin
  AuditOptions options = new AuditOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    if (!snapshots.isEmpty()) {
      Policy loaded = options.policy.load();
      if (all || !targets.isEmpty() || !labels.isEmpty()) {
        throw CliProblem.usage("--snapshot audits captured files; it cannot be combined with live targets");
      }
      return AuditRun.judgeAndReport(loaded, fromSnapshots(), options.reports, out());
    }
    PolicyInBackground policy = PolicyInBackground.load(options.policy);
    validate();
    WritersPrimed.start(policy, options.reports.outputs().keySet(), !options.reports.quiet);
    List<EngineSelection> engines = options.engine.selections();
    if (engines.size() > 1) {
      Policy loaded = policy.get();
      return AuditRun.judgeAndReport(loaded, fleet(engines), options.reports, out());
    }
    boolean explicit = all || !targets.isEmpty() || !labels.isEmpty() || options.engine.selection().named();
    DockerEngine docker;
    try {
      docker = options.engine.connectOrExplain();
    } catch (EngineUnavailableException e) {
      Policy loaded = policy.get();
      if (explicit) {
        throw CliProblem.tool(e.getMessage());
      }
      err().println("capaudit: " + Printable.of(e.getMessage()));
      err().println("capaudit: no container to audit; auditing this host's processes instead (capaudit host)");
      return AuditRun.judgeAndReport(loaded, HostCommand.scanHost(options.engine, HostScanSettings.defaults()
          .withRuntimeRoots(options.engine.runtimeRoots), false), options.reports, out());
    }
    try (docker) {
      Policy loaded = policy.get();
      return AuditRun.judgeAndReport(loaded, live(docker), options.reports, out());
    }
  }

  /** Usage errors are found before any engine is asked. */
  private void validate() throws CliProblem {
    for (String target : targets) {
      if (target.isBlank()) {
        throw CliProblem.usage("an empty container name matches nothing; name a container or use --all");
      }
    }
    for (String key : labels.keySet()) {
      if (key.isBlank()) {
        throw CliProblem.usage("--label needs KEY=VALUE with a key");
      }
    }
    if (parallel < 1 || parallel > 256) {
      throw CliProblem.usage("--parallel must be 1 to 256, not " + parallel);
    }
    if (execTimeout < 1 || execTimeout > 600) {
      throw CliProblem.usage("--exec-timeout must be 1 to 600 seconds, not " + execTimeout);
    }
  }

  private ScanSettings settings() {
    return ScanSettings.defaults(execUsers).withParallelism(parallel).withExecViewMode(execView)
        .withRuntimeRoots(options.engine.runtimeRoots).withExecTimeout(Duration.ofSeconds(execTimeout));
  }

  /** Several engines in one run: each one's failure is a target of its own, the others complete. */
  private List<TargetSnapshot> fleet(List<EngineSelection> engines) {
    FleetScanner scanner = new FleetScanner(options.engine::connect, options.engine.hostProc(), settings(),
        options.engine.engineParallel);
    return scanner.scan(engines, new FleetScanner.Selection(targets, all || !labels.isEmpty() || targets.isEmpty(),
        labels));
  }

  private List<TargetSnapshot> live(DockerEngine docker) throws CliProblem {
    LiveScanner scanner = new LiveScanner(docker, options.engine.hostProc(), settings(),
        options.engine.selection().label().orElse(docker.host()));
    scanner.startReadingHost();
    List<String> selected = new ArrayList<>();
    for (String target : targets) {
      selected.add(TargetNames.resolve(docker, target));
    }
    if (all || !labels.isEmpty() || targets.isEmpty()) {
      try {
        selected.addAll(scanner.select(labels));
      } catch (IOException | RuntimeException e) {
        throw CliProblem.tool("cannot list containers at " + docker.host() + ": " + e.getMessage());
      }
    }
    if (selected.isEmpty()) {
      err().println("capaudit: no running or paused container matched at " + Printable.of(docker.host()));
    }
    return scanner.scan(selected.stream().distinct().toList(), Progress.onTerminal(err(), selected.size()));
  }

  private List<TargetSnapshot> fromSnapshots() throws CliProblem {
    List<TargetSnapshot> loaded = new ArrayList<>();
    for (Path snapshot : snapshots) {
      try {
        loaded.addAll(SnapshotFiles.load(snapshot));
      } catch (SnapshotFileException e) {
        throw CliProblem.usage(e.getMessage());
      }
    }
    return loaded;
  }
}

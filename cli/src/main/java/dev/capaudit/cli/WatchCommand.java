package dev.capaudit.cli;

import dev.capaudit.cli.watch.ChangeWriter;
import dev.capaudit.cli.watch.MetricsAddress;
import dev.capaudit.cli.watch.MetricsServer;
import dev.capaudit.cli.watch.OnViolation;
import dev.capaudit.cli.watch.Violations;
import dev.capaudit.cli.watch.WatchLines;
import dev.capaudit.reports.console.Printable;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.live.ExecViewMode;
import dev.capaudit.scanner.live.HostScanSettings;
import dev.capaudit.scanner.live.HostScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.watch.StatePoller;
import dev.capaudit.scanner.watch.WatchListener;
import dev.capaudit.scanner.watch.WatchLoop;
import dev.capaudit.scanner.watch.WatchSettings;
import dev.capaudit.scanner.watch.Watcher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Audits every container as it starts and every exec session as it opens, until stopped. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Audit every container once it has settled after it starts (and again after an unpause), and"
        + " every exec session as it opens (the exec'd process itself, read from the host's /proc), printing one line"
        + " for each audit whose result changed. Every --interval all containers are audited again, to catch what"
        + " events missed. Runs until stopped (SIGTERM, Ctrl-C), and survives the engine going away.",
        "With --no-engine, or when no engine answers and none was named, the runtimes' own state and /proc are"
            + " read every --interval instead (as 'capaudit host')."})
final class WatchCommand extends AbstractCommand {
  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Watch only containers with this label"
      + " (repeatable; all must match).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--format", paramLabel = "line|jsonl", defaultValue = "line", description = "One readable line"
      + " per change (default), or one JSON object per line ('jsonl'), with the JSON report's own findings.")
  String format;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60", description = "How often every"
      + " container is audited again (without an engine: the runtime state read). Default: ${DEFAULT-VALUE}.")
  int interval;

  @Option(names = "--on-violation", paramLabel = "CMD", description = "Run this command with the change's JSON line"
      + " on its standard input when a target gains a violation or an exec session holds one. CMD is split at"
      + " spaces and run directly, never through a shell (unless --on-violation-shell); its output is discarded.")
  String onViolation;

  @Option(names = "--on-violation-shell", description = "Run --on-violation's CMD with /bin/sh -c.")
  boolean onViolationShell;

  @Option(names = "--on-violation-timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Kill"
      + " --on-violation's command after this long. Default: ${DEFAULT-VALUE}.")
  int onViolationTimeout;

  @Option(names = "--metrics", paramLabel = "[HOST:]PORT", description = "Serve Prometheus metrics at"
      + " http://ADDR/metrics. PORT alone is 127.0.0.1 only; any other address must be written with its host"
      + " (0.0.0.0:9100 for every interface).")
  String metrics;

  @Option(names = "--severity", paramLabel = "LEVEL", defaultValue = "medium", description = "The lowest severity"
      + " that is a violation for --on-violation: high, medium (default), low or info.")
  String severity;

  @Option(names = "--no-engine", description = "Ask no engine: read the runtimes' state and /proc every --interval.")
  boolean noEngine;

  @Option(names = "--exec-user", paramLabel = "USER", description = "Also view the exec shell as this user in each"
      + " container's audit (repeatable).")
  List<String> execUsers = new ArrayList<>();

  @Option(names = "--exec-view", paramLabel = "auto|probe|derive|verify", defaultValue = "DERIVE",
      description = "How a container's audit views exec shells. Default 'derive' (the runtime's spec, else the"
          + " configuration): the watch runs no exec probe of its own, since each would be an exec session it audits.")
  ExecViewMode execView;

  @Option(names = "--exec-timeout", paramLabel = "SECONDS", defaultValue = "15", description = "The longest one exec"
      + " probe may take (with --exec-view probe or verify). Default: ${DEFAULT-VALUE}.")
  int execTimeout;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Containers audited at once."
      + " Default: ${DEFAULT-VALUE}.")
  int parallel;

  @Mixin
  PolicyOption policy = new PolicyOption();

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Mixin
  NodeOptions node = new NodeOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    Policy loaded = policy.load();
    Violations violations = new Violations(validate());
    Optional<InetSocketAddress> metricsAddress = metricsAddress();
    ChangeWriter writer = new ChangeWriter(format.equalsIgnoreCase("jsonl") ? ChangeWriter.Format.JSONL
        : ChangeWriter.Format.LINE, new WatchLines(loaded, VersionProvider.version()), out(), err());
    Optional<DockerEngine> first = noEngine ? Optional.empty() : connect();
    try (OnViolation hook = hook().orElse(null)) {
      WatchListener listener = change -> writer.write(change).filter(json -> hook != null && violations.in(change))
          .ifPresent(hook::offer);
      Watcher watcher = first.isPresent() ? events(first, listener, loaded) : state(listener, loaded);
      MetricsServer served;
      try {
        served = serve(metricsAddress, watcher);
      } catch (CliProblem e) {
        first.ifPresent(DockerEngine::close); // the watch that would have closed it never starts
        throw e;
      }
      try (served) {
        untilStopped(watcher);
      }
    }
    return ExitCode.PASS;
  }

  private Watcher events(Optional<DockerEngine> first, WatchListener listener, Policy loaded) {
    return new WatchLoop(this::reconnect, first, WatchSettings.defaults(labels).withInterval(Duration.ofSeconds(
        interval)).withParallelism(parallel), ScanSettings.defaults(execUsers).withExecViewMode(execView)
            .withRuntimeRoots(engine.runtimeRoots).withExecTimeout(Duration.ofSeconds(execTimeout)),
        engine.hostProc(), new Auditor(loaded), listener, Clock.systemUTC());
  }

  private Watcher state(WatchListener listener, Policy loaded) throws CliProblem {
    if (!engine.hostProc().readable()) {
      throw CliProblem.tool("cannot read " + engine.procRoot + ": watching this host's runtime state needs root"
          + " (capaudit needs CAP_SYS_PTRACE to read other processes' namespaces), or the host's /proc mounted and"
          + " --proc-root");
    }
    HostScanSettings.Filter filter = new HostScanSettings.Filter(Set.of(), Set.of(), Set.of(), labels);
    return new StatePoller(new HostScanner(engine.hostProc(), node.settings(engine.runtimeRoots, filter)),
        new Auditor(loaded), Duration.ofSeconds(interval), listener,
        Clock.systemUTC());
  }

  /**
   * Runs the watch on this thread until it is stopped: by SIGTERM or Ctrl-C through a shutdown hook that waits for
   * the watch to end, or by an interrupt of this thread.
   */
  private static void untilStopped(Watcher watcher) {
    Thread running = Thread.currentThread();
    Thread hook = new Thread(() -> {
      watcher.stop();
      try {
        running.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "capaudit-watch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      watcher.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is what stopped the watch: it is running now and cannot be removed.
      }
    }
  }

  /** The first connection: a named engine that does not answer is an error; an unnamed one falls back to state. */
  private Optional<DockerEngine> connect() throws CliProblem {
    try {
      return Optional.of(engine.connectOrExplain());
    } catch (EngineUnavailableException e) {
      if (engine.selection().named()) {
        throw CliProblem.tool(e.getMessage());
      }
      err().println("capaudit: " + Printable.of(e.getMessage()));
      err().println("capaudit: no engine to follow; watching this host's runtime state instead, every " + interval
          + " s");
      return Optional.empty();
    }
  }

  /** Each later connection, after the engine went away. */
  private DockerEngine reconnect() throws IOException {
    try {
      return engine.connectOrExplain();
    } catch (EngineUnavailableException | CliProblem e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private Optional<OnViolation> hook() {
    if (onViolation == null) {
      return Optional.empty();
    }
    List<String> command = onViolationShell ? List.of("/bin/sh", "-c", onViolation)
        : List.of(onViolation.trim().split("\\s+"));
    return Optional.of(new OnViolation(command, Duration.ofSeconds(onViolationTimeout), err()));
  }

  private MetricsServer serve(Optional<InetSocketAddress> address, Watcher watcher) throws CliProblem {
    if (address.isEmpty()) {
      return null;
    }
    try {
      MetricsServer served = MetricsServer.start(address.get(), watcher::totals);
      InetSocketAddress bound = served.address();
      err().println("capaudit: metrics at http://" + hostText(bound) + ":" + bound.getPort() + "/metrics"
          + (bound.getAddress().isLoopbackAddress() ? "" : " (not loopback: anyone who reaches this address can"
              + " read every finding)"));
      err().flush();
      return served;
    } catch (IOException e) {
      throw CliProblem.tool("cannot serve metrics on " + metrics + ": " + e.getMessage());
    }
  }

  private static String hostText(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private Optional<InetSocketAddress> metricsAddress() throws CliProblem {
    if (metrics == null) {
      return Optional.empty();
    }
    MetricsAddress.Parsed parsed = MetricsAddress.parse(metrics);
    if (parsed.address().isEmpty()) {
      throw CliProblem.usage(parsed.error());
    }
    return parsed.address();
  }

  /** Usage errors are found before any engine is asked; returns the violation threshold. */
  private Severity validate() throws CliProblem {
    for (String key : labels.keySet()) {
      if (key.isBlank()) {
        throw CliProblem.usage("--label needs KEY=VALUE with a key");
      }
    }
    if (!List.of("line", "jsonl").contains(format.toLowerCase(Locale.ROOT))) {
      throw CliProblem.usage("--format must be line or jsonl, not '" + format + "'");
    }
    if (interval < 1 || interval > 86_400) {
      throw CliProblem.usage("--interval must be 1 to 86400 seconds, not " + interval);
    }
    if (parallel < 1 || parallel > 64) {
      throw CliProblem.usage("--parallel must be 1 to 64, not " + parallel);
    }
    if (execTimeout < 1 || execTimeout > 600) {
      throw CliProblem.usage("--exec-timeout must be 1 to 600 seconds, not " + execTimeout);
    }
    if (onViolationTimeout < 1 || onViolationTimeout > 3600) {
      throw CliProblem.usage("--on-violation-timeout must be 1 to 3600 seconds, not " + onViolationTimeout);
    }
    if (onViolation != null && onViolation.isBlank()) {
      throw CliProblem.usage("--on-violation needs a command");
    }
    if (onViolationShell && onViolation == null) {
      throw CliProblem.usage("--on-violation-shell needs --on-violation CMD");
    }
    return Severity.fromId(severity).orElseThrow(() -> CliProblem.usage("--severity must be high, medium, low or"
        + " info, not '" + severity + "'"));
  }
}

package dev.capaudit.cli;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.live.HostScanSettings;
import dev.capaudit.scanner.live.HostScanner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Audits every process on this node, each attributed to its container (of any runtime) or to the host. */
@Command(name = "host", mixinStandardHelpOptions = true,
    description = {"Audit every process on this node from /proc, each attributed to its container or to the host"
        + " itself. Containers are found in the runtimes' own state with no engine API: Docker, containerd in every"
        + " namespace (Kubernetes pods by their CRI annotations and labels), Podman and CRI-O; configuration and"
        + " exec views come from each container's OCI spec.",
        "An engine, when one answers, only names a container no runtime state describes."})
final class HostCommand extends AbstractCommand {
  /** The runtimes a host audit reads, by the names --runtime takes. */
  private static final List<String> RUNTIMES = List.of("docker", "containerd", "podman", "cri-o");

  @Option(names = "--runtime", paramLabel = "NAME", description = "Report only containers of this runtime:"
      + " docker, containerd, podman, cri-o (repeatable).")
  List<String> runtimes = new ArrayList<>();

  @Option(names = "--namespace", paramLabel = "NAME", description = "Report only containers in this runtime"
      + " namespace, e.g. k8s.io or moby (repeatable).")
  List<String> namespaces = new ArrayList<>();

  @Option(names = "--pod-namespace", paramLabel = "NAME", description = "Report only Kubernetes containers of"
      + " pods in this namespace (repeatable).")
  List<String> podNamespaces = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Report only containers with this label"
      + " (repeatable; all must match).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Mixin
  NodeOptions nodeOptions = new NodeOptions();

  @Option(names = "--no-engine", description = "Read the runtimes' state only; ask no engine API at all.")
  boolean noEngine;

  @Mixin
  AuditOptions options = new AuditOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    checkRuntimes();
    PolicyInBackground policy = PolicyInBackground.load(options.policy);
    WritersPrimed.start(policy, options.reports.outputs().keySet(), !options.reports.quiet);
    List<TargetSnapshot> targets = scanHost(options.engine, settings(), noEngine);
    return AuditRun.judgeAndReport(policy.get(), targets, options.reports, out());
  }

  private HostScanSettings settings() throws CliProblem {
    for (String key : labels.keySet()) {
      if (key.isBlank()) {
        throw CliProblem.usage("--label needs KEY=VALUE with a key");
      }
    }
    return nodeOptions.settings(options.engine.runtimeRoots, new HostScanSettings.Filter(
        new LinkedHashSet<>(runtimes), new LinkedHashSet<>(namespaces), new LinkedHashSet<>(podNamespaces), labels));
  }

  private void checkRuntimes() throws CliProblem {
    for (String runtime : runtimes) {
      if (!RUNTIMES.contains(runtime)) {
        throw CliProblem.usage("unknown runtime '" + runtime + "' for --runtime; choose "
            + String.join(", ", RUNTIMES));
      }
    }
  }

  /** Reads this node; asks the engine, when one answers (and none was refused), for containers no state names. */
  static List<TargetSnapshot> scanHost(EngineOptions options, HostScanSettings settings, boolean noEngine)
      throws CliProblem {
    if (options.procRoot.toString().isBlank()) {
      throw CliProblem.usage("--proc-root must name a directory");
    }
    if (!options.hostProc().readable()) {
      throw CliProblem.tool("cannot read " + options.procRoot + ": run on the host as root (capaudit needs"
          + " CAP_SYS_PTRACE to read other processes' namespaces), or mount its /proc and pass --proc-root");
    }
    HostScanner scanner = new HostScanner(options.hostProc(), settings);
    try {
      if (noEngine) {
        return scanner.scan(Optional.empty());
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

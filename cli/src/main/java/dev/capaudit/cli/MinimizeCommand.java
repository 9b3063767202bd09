package dev.capaudit.cli;

import dev.capaudit.reports.fix.FixFormat;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.image.GateProfile;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.minimize.ContainerTrials;
import dev.capaudit.scanner.minimize.ImageTrials;
import dev.capaudit.scanner.minimize.MinimalPolicy;
import dev.capaudit.scanner.minimize.MinimizeResult;
import dev.capaudit.scanner.minimize.MinimizeSettings;
import dev.capaudit.scanner.minimize.Minimizer;
import dev.capaudit.scanner.minimize.ReportTarget;
import dev.capaudit.scanner.minimize.TrialTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Least privilege by experiment: the smallest capability set a workload still runs with, found by trials. */
@Command(name = "minimize", mixinStandardHelpOptions = true,
    description = {"Find the smallest capability set IMAGE (or CONTAINER, from its own configuration, never touching"
        + " it) still runs with: trials in throwaway containers (no network, each removed whatever happens) drop"
        + " groups of capabilities and keep what the workload fails without, then confirm the result in one more"
        + " trial. A trial passes when the workload settles, is ready (its HEALTHCHECK, --ready-log, --ready-cmd),"
        + " keeps running for --hold seconds, and none of its processes holds what it dropped with the starting set.",
        "Prints the set, who holds each capability and the trial without it; --policy-out writes it as a policy,"
            + " --emit as fixes. Exit 0 with the set confirmed and its audit passing --policy (default: the set's"
            + " own policy), 5 when the workload fails even with the starting set or the search was cut short."})
final class MinimizeCommand extends AbstractCommand {
  @Parameters(index = "0", paramLabel = "IMAGE|CONTAINER", description = "An image, or a container whose"
      + " configuration the trials copy.")
  String target;

  @Parameters(index = "1..*", paramLabel = "CMD", description = "For an image: command and arguments after --,"
      + " replacing its CMD.")
  List<String> command = new ArrayList<>();

  @Option(names = "--from", paramLabel = "PROFILE", description = "The starting set: docker-default, permissive,"
      + " openshell or none (as for image). Default: Docker's 14 defaults, or what the container has.")
  String from;

  @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a capability to the starting set"
      + " (repeatable).")
  List<String> capAdd = new ArrayList<>();

  @Mixin
  EntrypointOptions run = new EntrypointOptions();

  @Mixin
  MinimizeOptions trial = new MinimizeOptions();

  @Option(names = "--policy", paramLabel = "FILE", description = "Judge the minimal set's audit by this policy"
      + " (a file or a built-in one). Default: the policy the run proves, as --policy-out writes it.")
  String policy;

  @Option(names = "--policy-out", paramLabel = "FILE", description = "Write the set as a capaudit/v1 policy: the"
      + " kept capabilities load-bearing with their evidence and contexts, every other one must-drop.")
  Path policyOut;

  @Option(names = "--emit", paramLabel = "compose|k8s|run|entrypoint", description = "Print the fix for the set in"
      + " this form (repeatable).")
  List<FixFormat> emit = new ArrayList<>();

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Mixin
  ReportOptions reports = new ReportOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    MinimizeSettings settings = validate();
    Optional<Policy> judge = policy == null ? Optional.empty() : Optional.of(PolicySource.load(policy));
    MinimizeConsole console = new MinimizeConsole(reports.quiet, reports.outputs().containsValue(ReportOptions.STDOUT)
        ? err() : out(), err());
    MinimizeResult result;
    try (DockerEngine docker = engine.connect()) {
      TrialTemplate template = template(docker);
      console.starting(template);
      result = new Minimizer(docker, engine.hostProc(), ScanSettings.defaults(List.of())
          .withRuntimeRoots(engine.runtimeRoots))
          .run(template, settings, console::trial);
    } catch (IOException e) {
      throw CliProblem.tool("cannot minimize " + target + ": " + e.getMessage());
    }
    Policy proven = MinimalPolicy.of(result);
    console.result(result);
    if (result.status() == MinimizeResult.Status.MINIMAL || result.status() == MinimizeResult.Status.INCOMPLETE) {
      MinimizeOutputs.write(result, proven, policyOut, emit, console);
    }
    return MinimizeJson.judgeAndReport(judge.orElse(proven), ReportTarget.of(result), result, reports, out());
  }

  private TrialTemplate template(DockerEngine docker) throws IOException, CliProblem {
    Optional<String> container = docker.inspectRaw(target);
    if (container.isEmpty()) {
      return new ImageTrials(target, run.user(), run.env, command);
    }
    if (!command.isEmpty() || run.given()) {
      throw CliProblem.usage(target + " is a container: its trials run its own command, user and env; -- CMD,"
          + " --user and --env are for an image");
    }
    return new ContainerTrials(target, container.get(), trial.volumeMode());
  }

  /** Every option checked before any engine is asked: a usage error costs no trial. */
  private MinimizeSettings validate() throws CliProblem {
    if (target == null || target.isBlank()) {
      throw CliProblem.usage("name an image or a container to minimize");
    }
    Optional<GateProfile> profile = Optional.empty();
    if (from != null) {
      profile = Optional.of(GateProfile.fromId(from).orElseThrow(() -> CliProblem.usage("unknown --from '" + from
          + "'; choose docker-default, permissive, openshell or none")));
    }
    List<Capability> adds = new ArrayList<>();
    for (String name : capAdd) {
      adds.add(Capability.parse(name).orElseThrow(() -> CliProblem.usage("unknown capability '" + name
          + "' in --cap-add" + Capability.closestTo(name).map(c -> "; did you mean " + c.canonicalName() + "?")
          .orElse(""))));
    }
    MinimizeOutputs.checkWritable(policyOut);
    run.validate();
    return new MinimizeSettings(profile, adds, trial.settings(run), trial.parallel(), trial.budget());
  }
}

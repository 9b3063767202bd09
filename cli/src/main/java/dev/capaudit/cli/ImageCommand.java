package dev.capaudit.cli;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.image.GateProfile;
import dev.capaudit.scanner.image.GateSettings;
import dev.capaudit.scanner.image.ImageGate;
import dev.capaudit.scanner.live.ScanSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The CI gate: run an image under a worst-case runtime and audit it once its entrypoint settles. */
@Command(name = "image", mixinStandardHelpOptions = true,
    description = {"Run IMAGE in a throwaway container (no network) under a runtime profile, wait until its"
        + " entrypoint settles, and audit it like a live scan: every process, the exec-shell views, and the setuid"
        + " and file-capability binaries a non-root process could regain a capability through.",
        "The container is always removed. Exit codes as for scan, so 'capaudit image my/agent:ci' is the whole CI"
            + " step."})
final class ImageCommand extends AbstractCommand {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to run, e.g. my/agent:ci.")
  String image;

  @Parameters(index = "1..*", paramLabel = "CMD", description = "Command and arguments after --, replacing the"
      + " image's CMD.")
  List<String> command = new ArrayList<>();

  @Option(names = "--profile", paramLabel = "NAME", defaultValue = "permissive", description = "Starting"
      + " capabilities: docker-default (Docker's 14), permissive (defaults + SYS_ADMIN, SYS_PTRACE), openshell"
      + " (defaults + NET_ADMIN, SYS_ADMIN, SYS_PTRACE, SYSLOG), none. Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a capability on top of the profile"
      + " (repeatable).")
  List<String> capAdd = new ArrayList<>();

  @Mixin
  EntrypointOptions run = new EntrypointOptions();

  @Option(names = "--exec-user", paramLabel = "USER", description = "Also probe the exec-shell view as this user"
      + " (repeatable).")
  List<String> execUsers = new ArrayList<>();

  @Mixin
  AuditOptions options = new AuditOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    validate();
    GateProfile chosen = GateProfile.fromId(profile).orElseThrow(() -> CliProblem.usage("unknown profile '"
        + profile + "'; choose docker-default, permissive, openshell or none"));
    GateSettings settings = new GateSettings(image, chosen, capAdd, run.user(), run.env, command, run.settle(),
        run.timeout());
    var loaded = options.policy.load();
    TargetSnapshot target;
    try (DockerEngine docker = options.engine.connect()) {
      target = new ImageGate(docker, options.engine.hostProc(), ScanSettings.defaults(execUsers)).run(settings);
    } catch (IOException e) {
      throw CliProblem.tool("cannot run " + image + ": " + e.getMessage());
    }
    return AuditRun.judgeAndReport(loaded, List.of(target), options.reports, out());
  }

  /** Checked before any engine is asked, so a typo is a usage error, not "no engine answered". */
  private void validate() throws CliProblem {
    if (image == null || image.isBlank()) {
      throw CliProblem.usage("name an image to run, e.g. my/agent:ci");
    }
    run.validate();
  }
}

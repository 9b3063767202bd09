package dev.capaudit.cli;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportFormat;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.live.HostScanSettings;
import dev.capaudit.scanner.live.HostScanner;
import dev.capaudit.rules.capability.CapabilityMask;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Loads the classes a scan uses, so that ./capaudit can archive them for class data sharing after a build: a scan
 * is a short-lived JVM, and class loading is much of its start-up. It judges a built-in sample and, when an engine
 * answers, pings it and lists containers; it audits this host's /proc without an engine; it changes nothing.
 */
@Command(name = "warm-up", hidden = true, description = "Load the classes a scan uses (for ./capaudit's class"
    + " data sharing archive). Changes nothing.")
final class WarmUpCommand extends AbstractCommand {
  private static final String STATUS = "Name:\tsleep\nPid:\t42\nPPid:\t1\nNSpid:\t42\t1\nUid:\t1000\t1000\t1000\t1000\n"
      + "Gid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
      + "CapEff:\t0000000000000000\nCapBnd:\t0000000000200100\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n"
      + "Seccomp:\t2\n";
  private static final String INSPECT = "[{\"Id\":\"warm\",\"Name\":\"/warm\",\"Config\":{\"User\":\"\"},"
      + "\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"],\"CapDrop\":null},\"State\":{\"Running\":true,\"Pid\":1}}]";

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    // Every command's model (a run builds only its own): their classes go into the archive too.
    Main.commandLine();
    Policy policy = PolicySource.load("nemoclaw-sandbox");
    try {
      TargetSnapshot target = new TargetSnapshot(TargetKind.CONTAINER, "warm", "warm", "warm", Map.of(),
          Optional.of(InspectParser.parse(INSPECT, CapabilityMask.ALL_KNOWN).get(0).config()),
          List.of(ProcessSnapshot.of(ProcStatusParser.parse(STATUS), ObservationSource.HOST_PROC)), List.of(),
          List.of(), List.of());
      AuditReport report = new AuditReport(new Auditor(policy).audit(List.of(target)), VersionProvider.version(),
          Optional.empty(), Instant.now());
      for (ReportFormat format : ReportFormat.values()) {
        format.writer().write(report, Writer.nullWriter());
      }
    } catch (IOException | ProcStatusFormatException e) {
      throw CliProblem.tool("warm-up failed: " + e.getMessage());
    }
    try {
      // The host audit's classes (process table, runtime state, bundles) from this machine's own /proc, read only.
      new HostScanner(engine.hostProc(), HostScanSettings.defaults()).scan(Optional.empty());
    } catch (IOException | RuntimeException e) {
      // Not readable here: the archive simply holds fewer classes.
    }
    try (DockerEngine docker = engine.connectOrExplain()) {
      docker.runningContainers(Map.of());
    } catch (EngineUnavailableException | IOException | RuntimeException e) {
      // No engine here: the archive simply holds fewer classes.
    }
    return ExitCode.PASS;
  }
}

package dev.capaudit.cli;

import dev.capaudit.reports.ReportFormat;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.live.HostScanSettings;
import dev.capaudit.scanner.live.HostScanner;
import java.io.IOException;
import java.util.EnumSet;
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
  @Mixin
  EngineOptions engine = new EngineOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    // Every command's model (a run builds only its own): their classes go into the archive too.
    Main.commandLine();
    Policy policy = PolicySource.load("nemoclaw-sandbox");
    try {
      SampleAudit.exercise(policy, EnumSet.allOf(ReportFormat.class), true);
    } catch (IOException e) {
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

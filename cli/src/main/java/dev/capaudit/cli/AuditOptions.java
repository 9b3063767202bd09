package dev.capaudit.cli;

import picocli.CommandLine.Mixin;

/** What every auditing command takes: the policy, how to reach the engine and /proc, and the reports to write. */
final class AuditOptions {
  @Mixin
  PolicyOption policy = new PolicyOption();

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Mixin
  ReportOptions reports = new ReportOptions();
}

package dev.capaudit.cli;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportFormat;
import dev.capaudit.reports.console.ConsoleReport;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.inspect.InspectParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A one-container audit built in, judged by a given policy: it exercises the judging and every writer without a
 * container, for the class-data-sharing warm-up and for priming a short run's writers while the engine is reached.
 */
final class SampleAudit {
  private static final String STATUS = "Name:\tsleep\nPid:\t42\nPPid:\t1\nNSpid:\t42\t1\nUid:\t1000\t1000\t1000\t1000\n"
      + "Gid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
      + "CapEff:\t0000000000000000\nCapBnd:\t0000000000200100\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n"
      + "Seccomp:\t2\n";
  private static final String INSPECT = "[{\"Id\":\"warm\",\"Name\":\"/warm\",\"Config\":{\"User\":\"\"},"
      + "\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"],\"CapDrop\":null},\"State\":{\"Running\":true,\"Pid\":1}}]";

  private SampleAudit() {}

  /** The sample container (SYS_ADMIN added, a non-root sleep) judged by {@code policy}, as a report. */
  static AuditReport report(Policy policy) throws IOException {
    try {
      TargetSnapshot target = new TargetSnapshot(TargetKind.CONTAINER, "warm", "warm", "warm", Map.of(),
          Optional.of(InspectParser.parse(INSPECT, CapabilityMask.ALL_KNOWN).get(0).config()),
          List.of(ProcessSnapshot.of(ProcStatusParser.parse(STATUS), ObservationSource.HOST_PROC)), List.of(),
          List.of(), List.of());
      return new AuditReport(new Auditor(policy).audit(List.of(target)), VersionProvider.version(),
          Optional.empty(), Instant.now());
    } catch (ProcStatusFormatException e) {
      throw new IOException("the built-in sample does not parse: " + e.getMessage(), e);
    }
  }

  /** Judges the sample and writes it, to nowhere, in each of {@code formats} and (with {@code table}) as the table. */
  static void exercise(Policy policy, Set<ReportFormat> formats, boolean table) throws IOException {
    AuditReport sample = report(policy);
    if (table) {
      ConsoleReport.print(sample, new PrintWriter(Writer.nullWriter()));
    }
    for (ReportFormat format : formats) {
      format.writer().write(sample, Writer.nullWriter());
    }
  }
}

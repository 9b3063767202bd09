package dev.capaudit.reports;

import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.model.TargetSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything a report renders: the audit result, the optional baseline comparison, and who wrote it when. Every
 * format renders this one model.
 *
 * @param generatedAt when the report was written (fixed in golden-file tests)
 * @param sources the files {@code --source} named, for SARIF locations
 * @param minimize the minimize run the report's target came from, for the JSON report
 */
public record AuditReport(AuditResult result, String toolVersion, Optional<BaselineComparison> baseline,
    Instant generatedAt, List<SourceFile> sources, Optional<JsonReport.Minimize> minimize) {

  public AuditReport {
    sources = List.copyOf(sources);
  }

  /** A report of no minimize run. */
  public AuditReport(AuditResult result, String toolVersion, Optional<BaselineComparison> baseline,
      Instant generatedAt, List<SourceFile> sources) {
    this(result, toolVersion, baseline, generatedAt, sources, Optional.empty());
  }

  /** A report with no source files to map findings to. */
  public AuditReport(AuditResult result, String toolVersion, Optional<BaselineComparison> baseline,
      Instant generatedAt) {
    this(result, toolVersion, baseline, generatedAt, List.of());
  }

  /** The same report, carrying the minimize run it came from. */
  public AuditReport withMinimize(JsonReport.Minimize run) {
    return new AuditReport(result, toolVersion, baseline, generatedAt, sources, Optional.of(run));
  }

  /** The finding's baseline status, or empty when no baseline was given. */
  public Optional<FindingStatus> statusOf(TargetSnapshot target, Finding finding) {
    return baseline.map(b -> b.statusOf(target, finding));
  }

  /** Whether one holder of the finding was already a holder in the baseline; empty without a baseline. */
  public Optional<FindingStatus> statusOf(TargetSnapshot target, Finding finding, Occurrence occurrence) {
    return baseline.map(b -> b.statusOf(target, finding, occurrence));
  }
}

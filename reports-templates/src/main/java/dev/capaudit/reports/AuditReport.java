package dev.capaudit.reports;

import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.model.TargetSnapshot;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything a report renders: the audit result, the optional baseline comparison, and who wrote it when. Every
 * format renders this one model.
 *
 * @param generatedAt when the report was written (fixed in golden-file tests)
 */
public record AuditReport(
    AuditResult result, String toolVersion, Optional<BaselineComparison> baseline, Instant generatedAt) {

  /** The finding's baseline status, or empty when no baseline was given. */
  public Optional<FindingStatus> statusOf(TargetSnapshot target, Finding finding) {
    return baseline.map(b -> b.statusOf(target, finding));
  }
}

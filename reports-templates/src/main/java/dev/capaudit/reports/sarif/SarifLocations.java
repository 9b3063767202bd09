package dev.capaudit.reports.sarif;

import dev.capaudit.reports.sarif.SarifLog.ArtifactLocation;
import dev.capaudit.reports.sarif.SarifLog.Location;
import dev.capaudit.reports.sarif.SarifLog.LogicalLocation;
import dev.capaudit.reports.sarif.SarifLog.LogicalLocationProperties;
import dev.capaudit.reports.sarif.SarifLog.PhysicalLocation;
import dev.capaudit.reports.sarif.SarifLog.Region;
import dev.capaudit.rules.baseline.TargetKey;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Holder;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where SARIF results point: a {@code --source} line, or the documented placeholder, plus logical locations. */
final class SarifLocations {
  /**
   * The placeholder root for a target no source file maps: {@code capaudit-targets/<kind>/<name>} line 1 stands for
   * "the whole target". GitHub code scanning rejects a result without a file and a line, and a container is no file.
   */
  static final String PLACEHOLDER_ROOT = "capaudit-targets";
  /** Holders named per result; more are counted in the result's properties. GitHub accepts up to 1,000. */
  private static final int MAX_HOLDERS = 10;

  private final SourceLocator locator;

  SarifLocations(SourceLocator locator) {
    this.locator = locator;
  }

  Location of(TargetSnapshot target, Finding finding) {
    List<LogicalLocation> logical = new ArrayList<>();
    String prefix = fullyQualifiedName(TargetKey.of(target));
    finding.occurrences().stream().limit(MAX_HOLDERS).forEach(o -> logical.add(holder(prefix, o)));
    logical.add(target(target));
    PhysicalLocation physical = locator.locate(target, finding)
        .map(place -> new PhysicalLocation(new ArtifactLocation(place.uri()), new Region(place.line())))
        .orElseGet(() -> placeholder(TargetKey.of(target)));
    return new Location(physical, List.copyOf(logical));
  }

  static PhysicalLocation placeholder(TargetKey target) {
    String node = target.node().isEmpty() ? "" : SarifText.uriSegment(target.node()) + "/";
    return new PhysicalLocation(new ArtifactLocation(PLACEHOLDER_ROOT + "/" + node
        + SarifText.uriSegment(target.kind().id()) + "/" + SarifText.uriSegment(target.name())), new Region(1));
  }

  static LogicalLocation target(TargetSnapshot target) {
    TargetOrigin o = target.origin();
    LogicalLocationProperties properties = new LogicalLocationProperties(blankToNull(target.id()),
        blankToNull(target.image()), blankToNull(o.engine()), blankToNull(o.runtime()), blankToNull(o.node()),
        o.kubernetes().map(k -> SarifText.clean(k.podNamespace() + "/" + k.pod())).orElse(null), null, null, null);
    boolean empty = properties.equals(new LogicalLocationProperties(null, null, null, null, null, null, null, null,
        null));
    return new LogicalLocation(SarifText.clean(target.name()), fullyQualifiedName(TargetKey.of(target)),
        target.kind().id(), empty ? null : properties);
  }

  /** A target of a baseline finding that is gone: only its key survives. */
  static LogicalLocation target(TargetKey key) {
    return new LogicalLocation(SarifText.clean(key.name()), fullyQualifiedName(key), key.kind().id(), null);
  }

  private static LogicalLocation holder(String prefix, Occurrence occurrence) {
    Holder h = occurrence.holder();
    String kind = h.kind().name().toLowerCase(Locale.ROOT);
    String uid = h.uid().isPresent() ? "/uid/" + h.uid().getAsLong() : "";
    String name = h.kind() == Holder.Kind.CONFIG ? "config" : h.name();
    List<Integer> pids = h.members().isEmpty() ? null : h.members().stream().map(Holder.Member::pid).toList();
    List<Integer> tids = h.kind() == Holder.Kind.THREAD
        ? h.members().stream().map(m -> m.tid().orElse(0)).toList() : null;
    return new LogicalLocation(SarifText.clean(name), SarifText.clean(prefix + "/" + kind
        + (h.kind() == Holder.Kind.CONFIG ? "" : "/" + h.name()) + uid), kind,
        pids == null && h.kind() != Holder.Kind.EXEC ? null
            : new LogicalLocationProperties(null, null, null, null, null, null, pids, tids,
                h.kind() == Holder.Kind.EXEC ? SarifText.clean(h.name()) : null));
  }

  /** {@code container/sandbox-7}, or {@code node-1/container/sandbox-7} when the node is known. */
  static String fullyQualifiedName(TargetKey key) {
    return SarifText.clean((key.node().isEmpty() ? "" : key.node() + "/") + key.kind().id() + "/" + key.name());
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : SarifText.clean(text);
  }
}

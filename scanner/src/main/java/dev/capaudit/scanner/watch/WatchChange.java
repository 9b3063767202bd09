package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.TargetResult;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** What the watch reports: an audit whose result changed, an exec session, a container's end, or a problem. */
public sealed interface WatchChange {
  Instant time();

  /**
   * A target audited with a result unlike its last one: a new target, a new or fixed finding, another verdict.
   *
   * @param trigger what led to the audit: {@code start}, {@code unpause}, {@code rescan}, {@code poll}
   * @param first the target had not been audited before (since it started, or since the watch began)
   * @param added findings the last audit did not have (all of them for a new target)
   * @param fixed findings the last audit had and this one has not
   */
  record Audited(Instant time, String trigger, TargetResult result, boolean first, List<FindingId> added,
      List<FindingId> fixed) implements WatchChange {
    public Audited {
      added = List.copyOf(added);
      fixed = List.copyOf(fixed);
    }
  }

  /**
   * An exec session opened: its process, as the host's /proc shows it, judged as an exec shell.
   *
   * @param result a target holding the container's identity and one exec view, the session's process
   */
  record ExecOpened(Instant time, TargetResult result, ExecProcess exec) implements WatchChange {}

  /**
   * A container stopped (or was removed while the watch did not see it stop): it holds nothing any more.
   *
   * @param removed it is gone from the engine, not only stopped
   */
  record Stopped(Instant time, String containerId, String name, OptionalLong exitCode, boolean removed)
      implements WatchChange {}

  /**
   * Something that kept the watch from auditing: the engine went away, events were missed, an audit failed.
   *
   * @param containerId the container it concerns; empty for the engine itself
   */
  record Problem(Instant time, String containerId, String name, String message) implements WatchChange {}

  /** The engine answers again after it went away: a full rescan follows. */
  record Reconnected(Instant time, String engine) implements WatchChange {}
}

package dev.capaudit.scanner.watch;

import dev.capaudit.scanner.io.BoundedMaps;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the watch remembers of each container, keyed by its id, and of the containers it has forgotten. Every part is
 * bounded: a container is forgotten when it dies or is destroyed, its exec ids are the last {@link #EXECS_KEPT}, and
 * if the engine never says a container is gone the oldest entries make room. Used by the loop's thread alone.
 */
final class ContainerStates {
  static final int CONTAINERS_KEPT = 50_000;
  static final int EXECS_KEPT = 64;
  static final int FORGOTTEN_KEPT = 4_096;

  /** One container: its name, its last audit, the exec sessions already audited, and since when it is known. */
  static final class Entry {
    private final String id;
    private final long since;
    private String name;
    private AuditSummary last;
    private long lastStarted;
    /** The exec sessions seen, by id, with their process once it was read. */
    private final Map<String, Optional<ExecSessions.Session>> execs = BoundedMaps.eldestDropped(EXECS_KEPT);

    private Entry(String id, long since, String name) {
      this.id = id;
      this.since = since;
      this.name = name;
    }

    String id() {
      return id;
    }

    /** The loop's clock (nanoTime) when the watch first heard of it. */
    long since() {
      return since;
    }

    String name() {
      return name;
    }

    Optional<AuditSummary> last() {
      return Optional.ofNullable(last);
    }

    /** Whether an audit started at this time is newer than the one last applied (audits may finish out of order). */
    boolean newerThanLast(long started) {
      return last == null || started - lastStarted >= 0;
    }

    void audited(String newName, AuditSummary summary, long started) {
      if (!newName.isEmpty()) {
        name = newName;
      }
      last = summary;
      lastStarted = started;
    }

    /** Records the exec session; false when it was already audited (an event replayed after a reconnect). */
    boolean firstSightOf(String execId) {
      return execs.putIfAbsent(execId, Optional.empty()) == null;
    }

    /** The exec session's process, read: set apart from the container's own processes in its later audits. */
    void execRead(ExecSessions.Session session) {
      execs.put(session.execId(), Optional.of(session));
    }

    List<ExecSessions.Session> execSessions() {
      return execs.values().stream().flatMap(Optional::stream).toList();
    }
  }

  private final Map<String, Entry> entries;
  /** When each forgotten container was forgotten: an audit started before that is of a container no longer there. */
  private final Map<String, Long> forgotten = BoundedMaps.eldestDropped(FORGOTTEN_KEPT);

  ContainerStates() {
    this(CONTAINERS_KEPT);
  }

  ContainerStates(int kept) {
    this.entries = BoundedMaps.eldestDropped(kept);
  }

  Optional<Entry> get(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  Entry known(String id, String name, long now) {
    Entry entry = entries.computeIfAbsent(id, k -> new Entry(id, now, name));
    if (entry.name.isEmpty()) {
      entry.name = name;
    }
    return entry;
  }

  /** Forgets the container; empty when it was not known. */
  Optional<Entry> forget(String id, long now) {
    forgotten.put(id, now);
    return Optional.ofNullable(entries.remove(id));
  }

  /** Whether an audit started at this time is older than the container's death or removal. */
  boolean outdated(String id, long startedAt) {
    Long gone = forgotten.get(id);
    return gone != null && gone - startedAt > 0;
  }

  Collection<String> ids() {
    return entries.keySet();
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  int size() {
    return entries.size();
  }

  int forgottenSize() {
    return forgotten.size();
  }
}

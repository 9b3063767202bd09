package dev.capaudit.scanner.enforce;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The journal of one enforce run, kept in the engine as labels so it outlives the process (a SIGKILL) and the
 * machine it ran on: the lock container carries the whole record, and every container the run creates carries the
 * run id. Recovery acts only on a run whose record it holds, and only on that run's own containers and original.
 *
 * @param originalInspect the original's inspect JSON when it removes itself on stop (AutoRemove): then it is the
 *     only way to put the original back. It holds what {@code docker inspect} shows anyone who may read the lock.
 */
record RunRecord(String run, String target, String originalId, boolean originalRunning,
    Optional<String> originalInspect, LockHolder holder, Instant started) {
  static final String PREFIX = "capaudit.enforce.";
  static final String RUN = PREFIX + "run";
  static final String ROLE = PREFIX + "role";
  static final String TARGET = PREFIX + "target";
  static final String ORIGINAL = PREFIX + "original";
  private static final String ORIGINAL_RUNNING = PREFIX + "original-running";
  private static final String ORIGINAL_INSPECT = PREFIX + "original-inspect";
  private static final String STARTED = PREFIX + "started";
  private static final String HOLDER = PREFIX + "holder.";

  /** What a container made by a run is for. */
  enum Role {
    LOCK,
    /** The container with the enforced settings. */
    REPLACEMENT,
    /** For an AutoRemove original: the verified replacement's twin that has AutoRemove again. */
    FINAL;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The labels of a container this run creates: they let recovery find it, and say where it came from. */
  Map<String, String> labels(Role role) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(RUN, run);
    labels.put(ROLE, role.label());
    labels.put(TARGET, target);
    labels.put(ORIGINAL, originalId);
    return labels;
  }

  /** The lock's labels: the whole record. */
  Map<String, String> lockLabels() {
    Map<String, String> labels = labels(Role.LOCK);
    labels.put(ORIGINAL_RUNNING, Boolean.toString(originalRunning));
    originalInspect.ifPresent(json -> labels.put(ORIGINAL_INSPECT, json));
    labels.put(STARTED, started.toString());
    labels.put(HOLDER + "pid", Long.toString(holder.pid()));
    labels.put(HOLDER + "start", Long.toString(holder.startMillis()));
    labels.put(HOLDER + "boot", holder.bootId());
    labels.put(HOLDER + "pidns", holder.pidNamespace());
    labels.put(HOLDER + "host", holder.host());
    return labels;
  }

  /** The record a lock carries; empty when the labels are not a complete record (not ours, or tampered with). */
  static Optional<RunRecord> fromLockLabels(Map<String, String> labels) {
    try {
      if (!Role.LOCK.label().equals(labels.get(ROLE))) {
        return Optional.empty();
      }
      LockHolder holder = new LockHolder(Long.parseLong(required(labels, HOLDER + "pid")),
          Long.parseLong(required(labels, HOLDER + "start")), labels.getOrDefault(HOLDER + "boot", ""),
          labels.getOrDefault(HOLDER + "pidns", ""), labels.getOrDefault(HOLDER + "host", ""));
      return Optional.of(new RunRecord(required(labels, RUN), required(labels, TARGET), required(labels, ORIGINAL),
          Boolean.parseBoolean(required(labels, ORIGINAL_RUNNING)), Optional.ofNullable(labels.get(ORIGINAL_INSPECT)),
          holder, Instant.parse(required(labels, STARTED))));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether a container was made by this run (the lock aside). */
  boolean made(ContainerFacts container) {
    return run.equals(container.labels().get(RUN)) && originalId.equals(container.labels().get(ORIGINAL))
        && !Role.LOCK.label().equals(container.labels().get(ROLE));
  }

  /** {@code run 3f2a1c0d9e8b (pid 1234 on ci-7, started …)}. */
  String describe() {
    return "run " + run + " (" + holder.describe() + ")";
  }

  private static String required(Map<String, String> labels, String key) {
    String value = labels.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }
}

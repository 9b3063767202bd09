package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.scanner.docker.EngineRefusedException;
import java.io.IOException;
import java.util.Optional;

/**
 * One enforce run per container at a time. The lock is a container named {@code NAME.capaudit-lock}, created and
 * never started: the engine lets only one container have a name and settles a race with a 409, on whatever machine
 * each run is, and the lock's labels carry the run's record, so the lock and the journal are one thing and cannot
 * disagree. A label on the enforced container could not serve (labels of a container cannot change), nor could a
 * rename of it (the name would be free meanwhile), nor a file (a second machine or a throwaway CI container would
 * not see it).
 */
final class EnforceLock {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A name conflict whose holder is gone by the time it is read is retried this many times in all. */
  private static final int CREATE_ATTEMPTS = 3;

  private EnforceLock() {}

  /** A lock as found: its record, when its labels are one. */
  record Found(String id, Optional<RunRecord> record) {}

  static Optional<Found> read(Operations ops, String target) throws IOException {
    Optional<ContainerFacts> lock = ops.inspect(RunNames.lock(target))
        .filter(c -> c.name().equals(RunNames.lock(target)));
    return lock.map(c -> new Found(c.id(), RunRecord.fromLockLabels(c.labels())));
  }

  /**
   * Creates the lock from the original's own image (present, since the original uses it), with no network and an
   * entrypoint that does not exist, so that even a {@code docker start} of it runs nothing.
   *
   * @return the lock's id, or empty when another container has the name: the lock is held
   */
  static Optional<String> tryCreate(Operations ops, RunRecord record, String image) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("Image", image);
    body.putArray("Entrypoint").add("/capaudit-enforce-lock-is-never-started");
    body.putArray("Cmd");
    ObjectNode labels = body.putObject("Labels");
    record.lockLabels().forEach(labels::put);
    body.put("NetworkDisabled", true);
    body.putObject("HostConfig").put("NetworkMode", "none");
    for (int attempt = 1; ; attempt++) {
      try {
        return Optional.of(ops.engine().create(RunNames.lock(record.target()), body.toString()));
      } catch (IOException e) {
        // A 409 means the name is taken; any failure while a lock exists means the same to this run.
        if (read(ops, record.target()).isPresent()) {
          return Optional.empty();
        }
        // Taken at the create and gone at the read: the run that held it has just ended. Try again, a bounded
        // number of times, rather than fail a run that only lost a race with one that was finishing.
        if (!EngineRefusedException.isNameConflict(e) || attempt == CREATE_ATTEMPTS) {
          throw new IOException("cannot create the lock " + RunNames.lock(record.target()) + ": " + e.getMessage(),
              e);
        }
      }
    }
  }

  /** Removes the lock by id: a run that broke a stale lock never removes the lock a newer run has taken since. */
  static void release(Operations ops, String lockId) throws IOException {
    ops.remove(lockId);
  }
}

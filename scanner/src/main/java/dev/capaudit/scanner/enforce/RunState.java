package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an unfinished run left things, read from the engine: its original (by id, wherever its name is now), the
 * containers the run made (by its labels), and who holds the enforced name. A rollback is planned from this, never
 * from what the run remembers doing, so a SIGTERM's cleanup and the recovery after a SIGKILL do the same thing.
 */
record RunState(RunRecord record, String lockId, Optional<ContainerFacts> original, List<ContainerFacts> made,
    Optional<ContainerFacts> nameHolder, Optional<JsonNode> originalInspect) {
  private static final ObjectMapper JSON = new ObjectMapper();

  RunState {
    made = List.copyOf(made);
  }

  static RunState observe(Operations ops, RunRecord record, String lockId) throws IOException {
    Optional<ContainerFacts> original = ops.inspect(record.originalId());
    List<ContainerFacts> made = ops.labelled(Map.of(RunRecord.RUN, record.run())).stream().filter(record::made)
        .toList();
    // The engine also resolves an id prefix: only a container with exactly this name holds it.
    Optional<ContainerFacts> holder = ops.inspect(record.target()).filter(c -> c.name().equals(record.target()));
    Optional<JsonNode> inspect = record.originalInspect().isPresent()
        ? Optional.of(JSON.readTree(record.originalInspect().get())) : Optional.empty();
    return new RunState(record, lockId, original, made, holder, inspect);
  }

  /** The name is held by a container of this run. */
  boolean replacementHoldsName() {
    return nameHolder.map(record::made).orElse(false);
  }

  /** The name is held by a container that is neither the original nor this run's: it must not be touched. */
  boolean strangerHoldsName() {
    return nameHolder.isPresent() && !replacementHoldsName() && !nameHolder.get().id().equals(record.originalId());
  }
}

package dev.capaudit.scanner.docker;

import dev.capaudit.scanner.io.BoundedMaps;
import java.util.Collections;
import java.util.Set;

/**
 * The exec sessions this process created in an engine (its probes and its process listings through a container), so
 * that the watch does not take its own probes for someone's shell. Only the most recent are kept: an exec's start
 * event follows its creation within seconds, and a long watch must not grow without bound.
 */
final class OwnExecs {
  private final Set<String> ids;

  OwnExecs(int kept) {
    ids = Collections.synchronizedSet(Collections.newSetFromMap(BoundedMaps.eldestDropped(kept)));
  }

  void add(String execId) {
    ids.add(execId);
  }

  boolean contains(String execId) {
    return ids.contains(execId);
  }
}

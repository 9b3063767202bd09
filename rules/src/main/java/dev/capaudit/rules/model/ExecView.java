package dev.capaudit.rules.model;

import dev.capaudit.rules.capability.CapabilitySets;
import java.util.Optional;

/**
 * What a process started with {@code docker exec} gets: read from the runtime's own spec, probed, or derived from
 * the configured bounding set.
 *
 * @param user the user the exec runs as, as given ({@code 0}, {@code 1000}, {@code sandbox})
 * @param root whether that user is root (decides the context it is judged in)
 * @param predicted with {@code --exec-view verify}: what the runtime's spec predicts for a probed view, to compare
 */
public record ExecView(String user, boolean root, CapabilitySets capabilities, Optional<Boolean> noNewPrivs,
    ObservationSource source, Optional<CapabilitySets> predicted) {

  public ExecView(String user, boolean root, CapabilitySets capabilities, Optional<Boolean> noNewPrivs,
      ObservationSource source) {
    this(user, root, capabilities, noNewPrivs, source, Optional.empty());
  }

  /** Whether a prediction was made and the probe disagrees with it. */
  public boolean disagreesWithPrediction() {
    return predicted.isPresent() && !predicted.get().equals(capabilities);
  }
}

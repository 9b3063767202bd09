package dev.capaudit.scanner.runtime;

import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.TargetOrigin;
import java.util.Map;
import java.util.Optional;

/**
 * A container found in a runtime's own state on the host, with no engine asked.
 *
 * @param initPid its init as the host sees it; 0 when it does not run
 * @param state {@code running}, {@code paused}, {@code created}, {@code exited}, as far as the state tells
 * @param config what the runtime applied, from its spec (and the engine's own settings, where it keeps them)
 * @param bundle the OCI bundle, when the container runs
 */
public record DiscoveredContainer(String id, String name, String image, Map<String, String> labels,
    TargetOrigin origin, int initPid, String state, Optional<ContainerConfig> config, Optional<OciBundle> bundle) {
  public DiscoveredContainer {
    labels = Map.copyOf(labels);
  }

  public boolean running() {
    return initPid > 0 && (state.equals("running") || state.equals("paused"));
  }
}

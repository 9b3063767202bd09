package dev.capaudit.scanner.inspect;

import dev.capaudit.rules.model.ContainerConfig;
import java.util.Map;

/**
 * The parts of {@code docker inspect} an audit needs. Names, labels and image come from whoever runs the container:
 * they are data to escape, never to trust.
 *
 * @param name the container name without Docker's leading slash
 * @param hostPid State.Pid: the container's pid 1 as the host sees it (0 when not running)
 */
public record InspectedContainer(
    String id,
    String name,
    String image,
    Map<String, String> labels,
    ContainerConfig config,
    int hostPid,
    String state,
    boolean running,
    boolean paused,
    long exitCode) {

  public InspectedContainer {
    labels = Map.copyOf(labels);
  }
}

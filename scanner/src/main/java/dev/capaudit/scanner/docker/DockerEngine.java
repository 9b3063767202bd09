package dev.capaudit.scanner.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine calls capaudit makes: the seam between capaudit and docker-java (tests use a fake). Every call is
 * bounded in time; an audit only reads, but for exec probes.
 */
public interface DockerEngine extends AutoCloseable {
  /** Every state a container can be in: {@code containers(EVERY_STATE, labels)} lists them all. */
  Set<String> EVERY_STATE = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

  /** Where the engine was reached, for messages: {@code unix:///var/run/docker.sock}. */
  String host();

  /** What the engine says of itself: version, root directory, name. */
  EngineInfo info() throws IOException;

  /** Ids of running containers carrying every one of the labels (all running containers when empty). */
  List<String> runningContainers(Map<String, String> labels) throws IOException;

  /**
   * Ids of containers in any of the states ({@code running}, {@code paused}, {@code created}, {@code exited})
   * carrying every one of the labels.
   */
  List<String> containers(Set<String> states, Map<String, String> labels) throws IOException;

  /** Ids of containers (running or not) whose name starts with the prefix. */
  List<String> containersNamed(String prefix) throws IOException;

  /** The raw JSON of {@code docker inspect} for a name or id, or empty when no such container exists. */
  Optional<String> inspectRaw(String nameOrId) throws IOException;

  /**
   * Runs a command in a container as a user, with the output capped and the wait bounded. An exec that times out
   * reports its process id so that the caller can kill it.
   */
  ExecResult exec(String containerId, String user, List<String> command, Duration timeout, int maxBytes)
      throws IOException;

  /** Creates a container from a raw create request body (JSON); returns its id. */
  String create(String name, String createJson) throws IOException;

  void start(String containerId) throws IOException;

  /** Removes a container and its anonymous volumes, running or not. */
  void remove(String containerId) throws IOException;

  /** Stops a container, giving it this long to exit on SIGTERM. */
  void stop(String containerId, Duration grace) throws IOException;

  /** Renames a container. */
  void rename(String containerId, String newName) throws IOException;

  /** Connects a container to a network with its endpoint settings (raw JSON), as the original had it. */
  void connect(String network, String containerId, String endpointJson) throws IOException;

  /** The container's stdout and stderr so far, capped. */
  ExecResult logs(String containerId, int maxBytes) throws IOException;

  @Override
  void close();

  // --- minimize ---

  /**
   * The last lines of the container's stdout and stderr, capped: the evidence of a failed trial is how its log
   * ends, which a log capped from its start can miss.
   */
  ExecResult logTail(String containerId, int lines, int maxBytes) throws IOException;
}

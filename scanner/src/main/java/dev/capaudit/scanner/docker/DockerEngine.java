package dev.capaudit.scanner.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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

  /**
   * Whether this connection created the exec session (a probe or a process listing of capaudit's own), so that a
   * watch does not audit it as someone's shell. An engine that cannot tell says no: the session is then audited.
   */
  default boolean ownExec(String execId) {
    return false;
  }

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

  // --- watch ---

  /**
   * Something the engine says happened to a container ({@code docker events}).
   *
   * @param action the engine's own word: {@code start}, {@code unpause}, {@code die}, {@code destroy}, or
   *     {@code exec_start: CMD ARGS} for an exec, whose command follows the colon
   * @param attributes the event's actor attributes: the container's labels, {@code name}, {@code image}, and
   *     {@code execID} or {@code exitCode} where they apply; attacker-controlled text
   * @param timeNanos when the engine stamped it, in nanoseconds since the epoch
   */
  record Event(String action, String containerId, Map<String, String> attributes, long timeNanos) {
    public Event {
      attributes = Map.copyOf(attributes);
    }
  }

  /**
   * How an event stream ended.
   *
   * @param idle the stream was cut by a read timeout while no event came (a TCP engine's idle stream), not by the
   *     engine going away
   */
  record StreamEnd(boolean idle, String reason) {}

  /** Receives one stream's events, then at most once its end; called on the stream's own thread. */
  interface EventSink {
    void event(Event event);

    void ended(StreamEnd end);
  }

  /** An open event stream; closing it stops delivery, and the sink hears no end of it. */
  interface EventStream extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Subscribes to container events with these actions and all these labels, replaying those since a time the
   * engine still buffers. Opening is bounded like every call; the stream is long-lived and reports its end to the
   * sink when the engine closes it or the connection breaks. An engine that hangs with the stream open reports
   * nothing: the caller detects it by asking something else ({@link #info()}) within the read timeout.
   *
   * @param sinceNanos replay from this time (nanoseconds since the epoch); empty for new events only
   */
  EventStream events(Set<String> actions, Map<String, String> labels, OptionalLong sinceNanos, EventSink sink)
      throws IOException;

  /**
   * An exec session as the engine shows it ({@code GET /exec/ID/json}).
   *
   * @param pid the exec'd process as the engine's host sees it; 0 until the engine has started it
   * @param user the user asked for ({@code docker exec -u}); empty for the container's own user
   * @param exitCode the exit code once it has ended
   */
  record ExecSession(String id, String containerId, boolean running, long pid, String user, boolean privileged,
      List<String> command, OptionalLong exitCode) {
    public ExecSession {
      command = List.copyOf(command);
    }
  }

  /** The exec session, or empty when the engine does not know it (any more). */
  Optional<ExecSession> execSession(String execId) throws IOException;

  // --- minimize ---

  /**
   * The last lines of the container's stdout and stderr, capped: the evidence of a failed trial is how its log
   * ends, which a log capped from its start can miss.
   */
  ExecResult logTail(String containerId, int lines, int maxBytes) throws IOException;
}

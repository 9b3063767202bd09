package dev.capaudit.scanner.live;

import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineInfo;
import dev.capaudit.scanner.docker.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/** An engine of containers given as inspect JSON, with scripted exec answers; it records every exec it ran. */
final class FakeEngine implements DockerEngine {
  final Map<String, String> inspects = new LinkedHashMap<>();
  final Map<String, String> states = new LinkedHashMap<>();
  final List<String> execs = new ArrayList<>();
  EngineInfo info = new EngineInfo("20.10.24+dfsg1", "/var/lib/docker", "fake-host", "Debian GNU/Linux 12");
  BiFunction<String, List<String>, ExecResult> exec = (user, command) -> {
    throw new AssertionError("no exec expected, got " + command + " as " + user);
  };
  long inspectDelayMillis;

  /** Adds a container: its full id, name, state, host pid, user, CapAdd/CapDrop and pid mode. */
  synchronized FakeEngine container(String id, String name, String state, int pid, String user, List<String> capAdd,
      List<String> capDrop, String pidMode) {
    String json = "{\"Id\":\"" + id + "\",\"Name\":\"/" + name + "\",\"Config\":{\"Image\":\"fake:1\",\"User\":\""
        + user + "\",\"Labels\":{\"app\":\"fake\"}},\"HostConfig\":{\"Privileged\":false,\"CapAdd\":"
        + names(capAdd) + ",\"CapDrop\":" + names(capDrop) + ",\"PidMode\":\"" + pidMode + "\",\"SecurityOpt\":null},"
        + "\"State\":{\"Status\":\"" + state + "\",\"Running\":" + (state.equals("running") || state.equals("paused"))
        + ",\"Paused\":" + state.equals("paused") + ",\"Pid\":" + pid + ",\"ExitCode\":0}}";
    inspects.put(id, json);
    inspects.put(name, json);
    states.put(id, state);
    return this;
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "null" : names.stream().map(n -> "\"" + n + "\"").toList().toString();
  }

  @Override
  public String host() {
    return "unix:///fake/docker.sock";
  }

  @Override
  public EngineInfo info() throws IOException {
    if (down) {
      throw new IOException("GET /info: the engine at " + host() + " is down");
    }
    return info;
  }

  @Override
  public List<String> runningContainers(Map<String, String> labels) throws IOException {
    return containers(Set.of("running"), labels);
  }

  @Override
  public synchronized List<String> containers(Set<String> wanted, Map<String, String> labels) throws IOException {
    if (down) {
      throw new IOException("list containers: the engine at " + host() + " is down");
    }
    return states.entrySet().stream().filter(e -> wanted.contains(e.getValue())).map(Map.Entry::getKey).toList();
  }

  @Override
  public List<String> containersNamed(String prefix) {
    return List.of();
  }

  @Override
  public Optional<String> inspectRaw(String nameOrId) throws IOException {
    if (inspectDelayMillis > 0) {
      try {
        Thread.sleep(inspectDelayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    synchronized (this) {
      return Optional.ofNullable(inspects.get(nameOrId));
    }
  }

  @Override
  public synchronized ExecResult exec(String containerId, String user, List<String> command, Duration timeout,
      int maxBytes) {
    execs.add(user + " " + String.join(" ", command));
    return exec.apply(user, command);
  }

  @Override
  public String create(String name, String createJson) {
    throw new UnsupportedOperationException("a scan creates nothing");
  }

  @Override
  public void start(String containerId) {
    throw new UnsupportedOperationException("a scan starts nothing");
  }

  @Override
  public void remove(String containerId) {
    throw new UnsupportedOperationException("a scan removes nothing");
  }

  @Override
  public void stop(String containerId, Duration grace) {
    throw new UnsupportedOperationException("a scan stops nothing");
  }

  @Override
  public void rename(String containerId, String newName) {
    throw new UnsupportedOperationException("a scan renames nothing");
  }

  @Override
  public void connect(String network, String containerId, String endpointJson) {
    throw new UnsupportedOperationException("a scan connects nothing");
  }

  @Override
  public ExecResult logs(String containerId, int maxBytes) {
    return new ExecResult(0, "", "", false, false);
  }

  // --- watch ---

  /** The sinks of the event streams open now, in the order they were opened. */
  final List<EventSink> sinks = new CopyOnWriteArrayList<>();
  /** The replay time each subscription asked for (-1 for none), in order. */
  final List<Long> subscriptions = new CopyOnWriteArrayList<>();
  final Map<String, ExecSession> execSessions = new ConcurrentHashMap<>();
  /** Exec sessions this engine says it created itself (capaudit's probes). */
  final Set<String> ownExecs = ConcurrentHashMap.newKeySet();

  @Override
  public boolean ownExec(String execId) {
    return ownExecs.contains(execId);
  }
  /** While set, the engine answers nothing: calls fail and no stream can be opened. */
  volatile boolean down;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000_000_000L);

  /** Every open stream hears the event, stamped one microsecond after the one before. */
  void emit(String action, String containerId, Map<String, String> attributes) {
    Event event = new Event(action, containerId, attributes, clock.addAndGet(1_000));
    sinks.forEach(sink -> sink.event(event));
  }

  /** The engine goes away: every stream ends, and until {@link #up()} every call fails. */
  void goDown() {
    down = true;
    List<EventSink> open = List.copyOf(sinks);
    sinks.clear();
    open.forEach(sink -> sink.ended(new StreamEnd(false, "Connection reset by peer")));
  }

  void up() {
    down = false;
  }

  /** The container is removed, as docker rm does. */
  synchronized void forget(String id, String name) {
    inspects.remove(id);
    inspects.remove(name);
    states.remove(id);
  }

  @Override
  public EventStream events(Set<String> actions, Map<String, String> labels, OptionalLong sinceNanos,
      EventSink sink) throws IOException {
    if (down) {
      throw new IOException("subscribe to events: the engine at " + host() + " is down");
    }
    subscriptions.add(sinceNanos.orElse(-1));
    sinks.add(sink);
    return () -> sinks.remove(sink);
  }

  @Override
  public Optional<ExecSession> execSession(String execId) throws IOException {
    if (down) {
      throw new IOException("inspect exec: the engine at " + host() + " is down");
    }
    return Optional.ofNullable(execSessions.get(execId));
  }

  @Override
  public void close() {
  }

  // --- minimize ---

  @Override
  public ExecResult logTail(String containerId, int lines, int maxBytes) {
    return logs(containerId, maxBytes);
  }
}

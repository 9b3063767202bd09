package dev.capaudit.scanner.minimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineInfo;
import dev.capaudit.scanner.docker.ExecResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * An engine whose containers behave as a workload does with the bounding set their create request gives them
 * (CapDrop ALL, CapAdd exactly the set): they run or exit with a log. It counts what runs at once and what is left.
 */
final class TrialEngine implements DockerEngine {
  /** How a workload behaves with a set: running (healthy or not), or exited with a code and a log. */
  record Behaviour(boolean runs, long exitCode, String log, Optional<String> health) {
    static Behaviour running(String log) {
      return new Behaviour(true, 0, log, Optional.empty());
    }

    static Behaviour exits(long code, String log) {
      return new Behaviour(false, code, log, Optional.empty());
    }

    /** Running, with a HEALTHCHECK reporting this status. */
    Behaviour health(String status) {
      return new Behaviour(runs, exitCode, log, Optional.of(status));
    }
  }

  /** One container the engine holds. */
  record Box(String id, String name, JsonNode request, CapabilityMask set, Behaviour behaviour) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<CapabilityMask, Behaviour> workload;
  private final Map<String, Box> boxes = new LinkedHashMap<>();
  private final Map<String, Boolean> started = new LinkedHashMap<>();
  private final List<String> created = new ArrayList<>();
  private int running;
  private int mostRunning;
  private IOException failCreate;
  private Function<List<String>, ExecResult> exec = command -> new ExecResult(0, "", "", false, false);

  TrialEngine(Function<CapabilityMask, Behaviour> workload) {
    this.workload = workload;
  }

  synchronized void exec(Function<List<String>, ExecResult> answer) {
    exec = answer;
  }

  synchronized void failCreate(IOException e) {
    failCreate = e;
  }

  synchronized List<String> left() {
    return List.copyOf(boxes.keySet());
  }

  synchronized List<String> created() {
    return List.copyOf(created);
  }

  synchronized int mostRunning() {
    return mostRunning;
  }

  synchronized Optional<Box> box(String id) {
    return Optional.ofNullable(boxes.get(id));
  }

  @Override
  public synchronized String create(String name, String createJson) throws IOException {
    if (failCreate != null) {
      throw failCreate;
    }
    JsonNode request = JSON.readTree(createJson);
    List<Capability> caps = new ArrayList<>();
    request.path("HostConfig").path("CapAdd").forEach(c -> caps.add(Capability.parse(c.asText()).orElseThrow()));
    if (!"ALL".equals(request.path("HostConfig").path("CapDrop").path(0).asText())) {
      throw new IOException("a trial must drop ALL: " + createJson);
    }
    String id = "trial" + created.size() + "0123456789abcdef";
    CapabilityMask set = CapabilityMask.of(caps);
    boxes.put(id, new Box(id, name, request, set, workload.apply(set)));
    created.add(createJson);
    return id;
  }

  @Override
  public synchronized void start(String containerId) throws IOException {
    Box box = existing(containerId);
    started.put(containerId, box.behaviour().runs());
    if (box.behaviour().runs()) {
      running++;
      mostRunning = Math.max(mostRunning, running);
    }
  }

  @Override
  public synchronized void remove(String containerId) throws IOException {
    Box box = existing(containerId);
    if (Boolean.TRUE.equals(started.remove(containerId))) {
      running--;
    }
    boxes.remove(box.id());
  }

  @Override
  public synchronized Optional<String> inspectRaw(String nameOrId) {
    Box box = boxes.get(nameOrId);
    if (box == null) {
      return Optional.empty();
    }
    boolean runs = started.getOrDefault(box.id(), false);
    String status = !started.containsKey(box.id()) ? "created" : runs ? "running" : "exited";
    try {
      return Optional.of(JSON.writeValueAsString(Map.of("Id", box.id(), "Name", "/" + box.name(),
          "RestartCount", 0, "Config", box.request(), "HostConfig", box.request().path("HostConfig"),
          "State", state(status, runs, box))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> state(String status, boolean runs, Box box) {
    Map<String, Object> state = new LinkedHashMap<>(Map.of("Status", status, "Running", runs, "Pid", runs ? 4242 : 0,
        "ExitCode", runs ? 0 : box.behaviour().exitCode()));
    box.behaviour().health().ifPresent(h -> state.put("Health", Map.of("Status", h)));
    return state;
  }

  @Override
  public synchronized ExecResult logs(String containerId, int maxBytes) {
    Box box = boxes.get(containerId);
    return new ExecResult(0, box == null || !started.containsKey(containerId) ? "" : box.behaviour().log(), "",
        false, false);
  }

  @Override
  public ExecResult logTail(String containerId, int lines, int maxBytes) {
    return logs(containerId, maxBytes);
  }

  @Override
  public EventStream events(Set<String> actions, Map<String, String> labels, OptionalLong sinceNanos,
      EventSink sink) throws IOException {
    throw new IOException("GET /events: a minimize run subscribes to no events");
  }

  @Override
  public Optional<ExecSession> execSession(String execId) {
    return Optional.empty();
  }

  @Override
  public synchronized List<String> containers(Set<String> states, Map<String, String> labels) {
    return boxes.values().stream().filter(b -> labels.entrySet().stream().allMatch(l -> l.getValue()
        .equals(b.request().path("Labels").path(l.getKey()).asText()))).map(Box::id).toList();
  }

  private Box existing(String id) throws IOException {
    Box box = boxes.get(id);
    if (box == null) {
      throw new IOException("No such container: " + id);
    }
    return box;
  }

  @Override
  public String host() {
    return "unix:///fake/docker.sock";
  }

  @Override
  public EngineInfo info() {
    return EngineInfo.UNKNOWN;
  }

  @Override
  public List<String> runningContainers(Map<String, String> labels) {
    return containers(Set.of("running"), labels);
  }

  @Override
  public List<String> containersNamed(String prefix) {
    return List.of();
  }

  @Override
  public synchronized ExecResult exec(String containerId, String user, List<String> command, Duration timeout,
      int maxBytes) {
    return exec.apply(command);
  }

  @Override
  public void stop(String containerId, Duration grace) {
    throw new UnsupportedOperationException("a trial is removed, never stopped");
  }

  @Override
  public void rename(String containerId, String newName) {
    throw new UnsupportedOperationException("a trial is never renamed");
  }

  @Override
  public void connect(String network, String containerId, String endpointJson) {
    throw new UnsupportedOperationException("a trial has no network");
  }

  @Override
  public void close() {
  }
}

package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineInfo;
import dev.capaudit.scanner.docker.EngineRefusedException;
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

/**
 * An engine in memory that behaves as moby does where enforce depends on it: names are unique (409), a stopped
 * AutoRemove container is removed, unknown containers are 404, inspect resolves ids, names and id prefixes. Every
 * call that changes something is recorded, and any call can be made to fail.
 */
final class FakeEngine implements DockerEngine {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A container as the fake keeps it. */
  static final class Box {
    final String id;
    final String createdAs;
    String name;
    final Map<String, JsonNode> networks = new LinkedHashMap<>();
    final ObjectNode config;
    final ObjectNode host;
    boolean running;
    long exitCode;

    Box(String id, String name, ObjectNode config, ObjectNode host) {
      this.id = id;
      this.createdAs = name;
      this.name = name;
      this.config = config;
      this.host = host;
    }

    Map<String, String> labels() {
      Map<String, String> labels = new LinkedHashMap<>();
      config.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      return labels;
    }
  }

  /** A call that fails while {@code times} is above zero. */
  private static final class Failure {
    final String call;
    final String argument;
    final int status;
    int times;

    Failure(String call, String argument, int times, int status) {
      this.call = call;
      this.argument = argument;
      this.times = times;
      this.status = status;
    }
  }

  private final Map<String, Box> boxes = new LinkedHashMap<>();
  private final List<String> changes = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final Map<String, Duration> stopTimeouts = new LinkedHashMap<>();
  private int next;

  /** A container as {@code docker run} (or {@code docker create} when not running) would leave it. */
  Box add(String name, boolean running, Map<String, Object> hostConfig, Map<String, String> labels) {
    ObjectNode config = JSON.createObjectNode().put("Image", "sha256:" + "e".repeat(64));
    config.putArray("Entrypoint").add("sleep");
    ObjectNode labelNode = config.putObject("Labels");
    labels.forEach(labelNode::put);
    ObjectNode host = JSON.valueToTree(hostConfig);
    Box box = new Box(newId(), name, config, host);
    box.running = running;
    boxes.put(box.id, box);
    return box;
  }

  /**
   * Makes calls named {@code call} fail, so many times, when their argument, or the id, name or first name of the
   * container they address, contains {@code argument} ({@code =argument}: is it).
   */
  void fail(String call, String argument, int times) {
    failures.add(new Failure(call, argument, times, 500));
  }

  /** The next {@code times} calls answer 409 (a name in use) whatever the names are: a holder that just let go. */
  void conflict(String call, String argument, int times) {
    failures.add(new Failure(call, argument, times, EngineRefusedException.CONFLICT));
  }

  List<String> changes() {
    return List.copyOf(changes);
  }

  Optional<Box> named(String name) {
    return boxes.values().stream().filter(b -> b.name.equals(name)).findFirst();
  }

  Optional<Box> byId(String id) {
    return Optional.ofNullable(boxes.get(id));
  }

  List<Box> all() {
    return List.copyOf(boxes.values());
  }

  Duration stopTimeoutOf(String id) {
    return stopTimeouts.get(id);
  }

  @Override
  public String host() {
    return "fake://engine";
  }

  @Override
  public List<String> runningContainers(Map<String, String> labels) {
    return boxes.values().stream().filter(b -> b.running && b.labels().entrySet().containsAll(labels.entrySet()))
        .map(b -> b.id).toList();
  }

  @Override
  public List<String> containersNamed(String prefix) {
    return boxes.values().stream().filter(b -> b.name.startsWith(prefix)).map(b -> b.id).toList();
  }

  @Override
  public List<String> containers(Set<String> states, Map<String, String> labels) throws IOException {
    check("list", "");
    return boxes.values().stream().filter(b -> states.contains(b.running ? "running" : "exited"))
        .filter(b -> b.labels().entrySet().containsAll(labels.entrySet())).map(b -> b.id).toList();
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo("20.10.24+dfsg1", "/var/lib/docker", "fake", "Debian GNU/Linux 12");
  }

  @Override
  public Optional<String> inspectRaw(String nameOrId) throws IOException {
    check("inspect", nameOrId);
    return find(nameOrId).map(FakeEngine::inspect);
  }

  @Override
  public ExecResult exec(String containerId, String user, List<String> command, Duration timeout, int maxBytes) {
    throw new UnsupportedOperationException("enforce's transaction does not exec");
  }

  @Override
  public String create(String name, String createJson) throws IOException {
    check("create", name);
    if (named(name).isPresent()) {
      throw new EngineRefusedException("POST /containers/create: engine answered 409: Conflict. The container name \"/"
          + name + "\" is already in use", EngineRefusedException.CONFLICT);
    }
    ObjectNode body = (ObjectNode) JSON.readTree(createJson);
    ObjectNode host = body.has("HostConfig") ? (ObjectNode) body.remove("HostConfig") : JSON.createObjectNode();
    body.remove("NetworkingConfig");
    for (JsonNode from : host.path("VolumesFrom")) {
      if (find(from.asText()).isEmpty()) {
        throw new IOException("POST /containers/create: engine answered 404: No such container: " + from.asText());
      }
    }
    Box box = new Box(newId(), name, body, host);
    boxes.put(box.id, box);
    changes.add("create " + name);
    return box.id;
  }

  @Override
  public void start(String nameOrId) throws IOException {
    Box box = existing("start", nameOrId);
    box.running = true;
    changes.add("start " + box.name);
  }

  @Override
  public void remove(String containerId) throws IOException {
    Box box = existing("remove", containerId);
    boxes.remove(box.id);
    changes.add("remove " + box.name);
  }

  @Override
  public void stop(String containerId, Duration grace) throws IOException {
    Box box = existing("stop", containerId);
    stopTimeouts.put(box.id, grace);
    box.running = false;
    changes.add("stop " + box.name);
    if (box.host.path("AutoRemove").asBoolean(false)) {
      boxes.remove(box.id);
    }
  }

  @Override
  public void rename(String containerId, String newName) throws IOException {
    Box box = existing("rename", containerId);
    check("rename-to", newName);
    if (named(newName).isPresent()) {
      throw new IOException("POST rename: engine answered 409: name " + newName + " is in use");
    }
    changes.add("rename " + box.name + " " + newName);
    box.name = newName;
  }

  @Override
  public void connect(String network, String containerId, String endpointJson) throws IOException {
    Box box = existing("connect", containerId);
    box.networks.put(network, JSON.readTree(endpointJson));
    changes.add("connect " + box.name + " " + network);
  }

  @Override
  public ExecResult logs(String containerId, int maxBytes) {
    return new ExecResult(0, "", "", false, false);
  }

  @Override
  public void close() {
    // nothing to release
  }

  // --- watch ---

  @Override
  public EventStream events(Set<String> actions, Map<String, String> labels, OptionalLong sinceNanos,
      EventSink sink) throws IOException {
    throw new IOException("GET /events: enforce subscribes to no events");
  }

  @Override
  public Optional<ExecSession> execSession(String execId) {
    return Optional.empty();
  }

  private Box existing(String call, String nameOrId) throws IOException {
    check(call, nameOrId);
    return find(nameOrId).orElseThrow(() -> new IOException(call + " " + nameOrId + ": engine answered 404"));
  }

  private void check(String call, String argument) throws IOException {
    Optional<Box> target = find(argument);
    for (Failure failure : failures) {
      boolean exact = failure.argument.startsWith("=");
      String wanted = exact ? failure.argument.substring(1) : failure.argument;
      boolean matches = exact ? argument.equals(wanted) : argument.contains(wanted)
          || target.map(b -> b.name.contains(wanted) || b.createdAs.contains(wanted) || b.id.contains(wanted))
              .orElse(false);
      if (failure.call.equals(call) && failure.times > 0 && matches) {
        failure.times--;
        throw new EngineRefusedException(call + " " + argument + ": engine answered " + failure.status
            + ": injected failure", failure.status);
      }
    }
  }

  /** As moby resolves: the full id, then the name, then a unique id prefix. */
  private Optional<Box> find(String nameOrId) {
    if (nameOrId.isEmpty()) {
      return Optional.empty();
    }
    if (boxes.containsKey(nameOrId)) {
      return Optional.of(boxes.get(nameOrId));
    }
    Optional<Box> byName = named(nameOrId);
    if (byName.isPresent()) {
      return byName;
    }
    List<Box> prefixed = boxes.values().stream().filter(b -> b.id.startsWith(nameOrId)).toList();
    return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
  }

  private String newId() {
    next++;
    return String.format("%064x", next * 0x1000003L + 0xabcdef);
  }

  private static String inspect(Box box) {
    ObjectNode root = JSON.createObjectNode();
    root.put("Id", box.id);
    root.put("Name", "/" + box.name);
    root.put("Image", box.config.path("Image").asText());
    ObjectNode state = root.putObject("State");
    state.put("Running", box.running).put("Pid", box.running ? 4242 : 0).put("ExitCode", box.exitCode);
    root.set("Config", box.config.deepCopy());
    root.set("HostConfig", box.host.deepCopy());
    root.putArray("Mounts");
    ObjectNode networks = root.putObject("NetworkSettings").putObject("Networks");
    box.networks.forEach(networks::set);
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- minimize ---

  @Override
  public ExecResult logTail(String containerId, int lines, int maxBytes) {
    return logs(containerId, maxBytes);
  }
}

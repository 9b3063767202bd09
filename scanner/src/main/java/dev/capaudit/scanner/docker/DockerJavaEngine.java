package dev.capaudit.scanner.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.ListContainersCmd;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link DockerEngine} over docker-java. Inspect and every write go through the raw HTTP client, so no typed enum
 * parses data; every call is bounded in time by {@link EngineCalls} and every answer in size.
 */
final class DockerJavaEngine implements DockerEngine {
  /** The largest answer read from the engine: an inspect is a few KiB, a custom seccomp profile some 100 KiB. */
  static final int ANSWER_LIMIT = 8 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final DockerClient client;
  private final DockerHttpClient http;
  private final EngineCalls calls;
  /** Enough for every probe of a scan of thousands of containers, and a few KiB at most. */
  private final OwnExecs ownExecs = new OwnExecs(4_096);

  DockerJavaEngine(String host, DockerClient client, DockerHttpClient http, EngineCalls calls) {
    this.host = host;
    this.client = client;
    this.http = http;
    this.calls = calls;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public EngineInfo info() throws IOException {
    JsonNode info = JSON.readTree(send(DockerHttpClient.Request.Method.GET, "/info", null, 200));
    return new EngineInfo(info.path("ServerVersion").asText(""), info.path("DockerRootDir").asText(""),
        info.path("Name").asText(""), info.path("OperatingSystem").asText(""));
  }

  @Override
  public List<String> runningContainers(Map<String, String> labels) throws IOException {
    return containers(Set.of("running"), labels);
  }

  @Override
  public List<String> containers(Set<String> states, Map<String, String> labels) throws IOException {
    return calls.call("list containers", () -> {
      ListContainersCmd command = client.listContainersCmd().withShowAll(true);
      // Every state is no filter at all: Podman's compatible API refuses some of Docker's state names ("dead").
      if (!states.containsAll(EVERY_STATE)) {
        command.withStatusFilter(List.copyOf(states));
      }
      if (!labels.isEmpty()) {
        command.withLabelFilter(labels);
      }
      return command.exec().stream().map(Container::getId).toList();
    });
  }

  @Override
  public List<String> containersNamed(String prefix) throws IOException {
    // The engine's name filter matches substrings; the prefix is checked here.
    return calls.call("list containers named " + prefix, () -> client.listContainersCmd().withShowAll(true)
        .withNameFilter(List.of(prefix)).exec().stream()
        .filter(c -> c.getNames() != null && Arrays.stream(c.getNames())
            .anyMatch(n -> n.startsWith("/" + prefix) || n.startsWith(prefix)))
        .map(Container::getId).toList());
  }

  @Override
  public Optional<String> inspectRaw(String nameOrId) throws IOException {
    String path = "/containers/" + URLEncoder.encode(nameOrId, StandardCharsets.UTF_8) + "/json";
    Answer answer = request(DockerHttpClient.Request.Method.GET, path, null, calls.timeout());
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (answer.status() != 200) {
      throw new IOException("inspect " + nameOrId + ": engine answered " + answer.status() + " "
          + answer.message());
    }
    return Optional.of(answer.body());
  }

  @Override
  public boolean ownExec(String execId) {
    return ownExecs.contains(execId);
  }

  @Override
  public ExecResult exec(String containerId, String user, List<String> command, Duration timeout, int maxBytes)
      throws IOException {
    ExecCreateCmdResponse created = calls.call("exec in " + containerId, () -> client.execCreateCmd(containerId)
        .withUser(user)
        .withAttachStdout(true)
        .withAttachStderr(true)
        .withCmd(command.toArray(String[]::new))
        .exec());
    // Known as ours before it starts, so its start event can never be seen first.
    ownExecs.add(created.getId());
    BoundedOutput stdout = new BoundedOutput(maxBytes);
    BoundedOutput stderr = new BoundedOutput(64 * 1024);
    boolean finished = calls.call("exec as " + user, () -> {
      try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(created.getId())
          .exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(frame.getPayload());
            }
          })) {
        // awaitCompletion rethrows the first error the stream saw, unlike a callback that sinks errors.
        return callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    }, timeout.plus(calls.timeout()));
    JsonNode exec = JSON.readTree(send(DockerHttpClient.Request.Method.GET, "/exec/" + created.getId() + "/json",
        null, 200));
    if (!finished || exec.path("Running").asBoolean(false)) {
      long pid = exec.path("Pid").asLong(0);
      return new ExecResult(-1, stdout.toString(), stderr.toString(), stdout.truncated(), true,
          pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty());
    }
    return new ExecResult(exec.path("ExitCode").asLong(-1), stdout.toString(), stderr.toString(),
        stdout.truncated(), false);
  }

  @Override
  public String create(String name, String createJson) throws IOException {
    String body = send(DockerHttpClient.Request.Method.POST, "/containers/create?name="
        + URLEncoder.encode(name, StandardCharsets.UTF_8), createJson, 201);
    JsonNode id = JSON.readTree(body).path("Id");
    if (!id.isTextual()) {
      throw new IOException("create " + name + ": no id in the engine's answer");
    }
    return id.asText();
  }

  @Override
  public void start(String containerId) throws IOException {
    send(DockerHttpClient.Request.Method.POST, "/containers/" + containerId + "/start", null, 204);
  }

  @Override
  public void remove(String containerId) throws IOException {
    send(DockerHttpClient.Request.Method.DELETE, "/containers/" + containerId + "?force=1&v=1", null, 204);
  }

  @Override
  public void stop(String containerId, Duration grace) throws IOException {
    // The engine answers only once the container is down: allow the grace period on top of the read timeout.
    send(DockerHttpClient.Request.Method.POST, "/containers/" + containerId + "/stop?t=" + grace.toSeconds(), null,
        204, grace.plus(calls.timeout()));
  }

  @Override
  public void rename(String containerId, String newName) throws IOException {
    send(DockerHttpClient.Request.Method.POST, "/containers/" + containerId + "/rename?name="
        + URLEncoder.encode(newName, StandardCharsets.UTF_8), null, 204);
  }

  @Override
  public void connect(String network, String containerId, String endpointJson) throws IOException {
    String body = "{\"Container\":" + JSON.writeValueAsString(containerId) + ",\"EndpointConfig\":" + endpointJson
        + "}";
    send(DockerHttpClient.Request.Method.POST, "/networks/" + URLEncoder.encode(network, StandardCharsets.UTF_8)
        + "/connect", body, 200);
  }

  @Override
  public ExecResult logs(String containerId, int maxBytes) throws IOException {
    BoundedOutput all = new BoundedOutput(maxBytes);
    calls.call("logs of " + containerId, () -> {
      try (ResultCallback.Adapter<Frame> callback = client.logContainerCmd(containerId).withStdOut(true)
          .withStdErr(true).withFollowStream(false).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              all.append(frame.getPayload());
            }
          })) {
        return callback.awaitCompletion(10, TimeUnit.SECONDS);
      }
    }, Duration.ofSeconds(10).plus(calls.timeout()));
    return new ExecResult(0, all.toString(), "", all.truncated(), false);
  }

  /** An engine answer: its status and its body, read within {@link #ANSWER_LIMIT}. */
  private record Answer(int status, String body) {
    /** The engine's {@code message}, or the raw body when it is not JSON. */
    String message() {
      try {
        return JSON.readTree(body).path("message").asText(body.strip());
      } catch (IOException notJson) {
        return body.strip();
      }
    }
  }

  /** A raw request: the body is JSON we built, so no typed docker-java model (or its Capability enum) is involved. */
  private String send(DockerHttpClient.Request.Method method, String path, String json, int expected)
      throws IOException {
    return send(method, path, json, expected, calls.timeout());
  }

  private String send(DockerHttpClient.Request.Method method, String path, String json, int expected,
      Duration limit) throws IOException {
    Answer answer = request(method, path, json, limit);
    if (answer.status() != expected && !(expected == 204 && answer.status() == 304)) {
      throw new EngineRefusedException(method + " " + path + ": engine answered " + answer.status() + ": "
          + answer.message(), answer.status());
    }
    return answer.body();
  }

  private Answer request(DockerHttpClient.Request.Method method, String path, String json, Duration limit)
      throws IOException {
    DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(path);
    if (json != null) {
      request.putHeader("Content-Type", "application/json")
          .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
    return calls.call(method + " " + path, () -> {
      try (DockerHttpClient.Response response = http.execute(request.build());
          InputStream body = response.getBody()) {
        byte[] bytes = body == null ? new byte[0] : body.readNBytes(ANSWER_LIMIT + 1);
        if (bytes.length > ANSWER_LIMIT) {
          throw new IOException(method + " " + path + ": the engine's answer is larger than "
              + ANSWER_LIMIT / (1024 * 1024) + " MiB");
        }
        return new Answer(response.getStatusCode(), new String(bytes, StandardCharsets.UTF_8));
      }
    }, limit);
  }

  @Override
  public void close() {
    calls.close();
    try {
      client.close();
    } catch (IOException e) {
      // Nothing is pending when the scan closes the client; a failure to close changes no result.
    }
  }

  // --- watch ---

  @Override
  public EventStream events(Set<String> actions, Map<String, String> labels, OptionalLong sinceNanos,
      EventSink sink) throws IOException {
    AtomicBoolean over = new AtomicBoolean();
    ResultCallback.Adapter<com.github.dockerjava.api.model.Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(com.github.dockerjava.api.model.Event event) {
        if (!over.get() && event.getActor() != null && event.getActor().getId() != null) {
          Map<String, String> attributes = event.getActor().getAttributes();
          long nanos = event.getTimeNano() != null ? event.getTimeNano()
              : event.getTime() == null ? 0 : event.getTime() * 1_000_000_000L;
          sink.event(new Event(String.valueOf(event.getAction()), event.getActor().getId(),
              attributes == null ? Map.of() : new LinkedHashMap<>(attributes), nanos));
        }
      }

      @Override
      public void onError(Throwable error) {
        if (over.compareAndSet(false, true)) {
          sink.ended(new StreamEnd(timedOut(error), EngineErrors.rootMessage(error)));
        }
        super.onError(error);
      }

      @Override
      public void onComplete() {
        if (over.compareAndSet(false, true)) {
          sink.ended(new StreamEnd(false, "the engine closed the event stream"));
        }
        super.onComplete();
      }
    };
    calls.call("subscribe to events", () -> {
      var command = client.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
          .withEventFilter(actions.toArray(String[]::new));
      if (!labels.isEmpty()) {
        command.withLabelFilter(labels);
      }
      if (sinceNanos.isPresent()) {
        long nanos = sinceNanos.getAsLong();
        command.withSince(String.format("%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L));
      }
      // docker-java reads the stream on a thread of its own: this returns at once.
      return command.exec(callback);
    });
    return () -> {
      // Closed by the caller: the break this causes is not an end to report.
      over.set(true);
      try {
        callback.close();
      } catch (IOException e) {
        // The stream is being abandoned; a failure to close it changes nothing the caller can act on.
      }
    };
  }

  private static boolean timedOut(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<ExecSession> execSession(String execId) throws IOException {
    Answer answer = request(DockerHttpClient.Request.Method.GET, "/exec/" + URLEncoder.encode(execId,
        StandardCharsets.UTF_8) + "/json", null, calls.timeout());
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (answer.status() != 200) {
      throw new IOException("inspect exec " + execId + ": engine answered " + answer.status() + " "
          + answer.message());
    }
    JsonNode exec = JSON.readTree(answer.body());
    JsonNode process = exec.path("ProcessConfig");
    List<String> command = new ArrayList<>();
    if (process.path("entrypoint").isTextual()) {
      command.add(process.path("entrypoint").asText());
    }
    process.path("arguments").forEach(argument -> command.add(argument.asText()));
    boolean running = exec.path("Running").asBoolean(false);
    return Optional.of(new ExecSession(exec.path("ID").asText(execId), exec.path("ContainerID").asText(""),
        running, exec.path("Pid").asLong(0), process.path("user").asText(""),
        process.path("privileged").asBoolean(false), command,
        running || !exec.path("ExitCode").isNumber() ? OptionalLong.empty()
            : OptionalLong.of(exec.path("ExitCode").asLong())));
  }

  // --- minimize ---

  @Override
  public ExecResult logTail(String containerId, int lines, int maxBytes) throws IOException {
    BoundedOutput tail = new BoundedOutput(maxBytes);
    calls.call("log tail of " + containerId, () -> {
      try (ResultCallback.Adapter<Frame> callback = client.logContainerCmd(containerId).withStdOut(true)
          .withStdErr(true).withFollowStream(false).withTail(lines).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              tail.append(frame.getPayload());
            }
          })) {
        return callback.awaitCompletion(10, TimeUnit.SECONDS);
      }
    }, Duration.ofSeconds(10).plus(calls.timeout()));
    return new ExecResult(0, tail.toString(), "", tail.truncated(), false);
  }
}

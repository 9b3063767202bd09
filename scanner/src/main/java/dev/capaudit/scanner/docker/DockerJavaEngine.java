package dev.capaudit.scanner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.transport.DockerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link DockerEngine} over docker-java; inspect goes through the raw HTTP client so no typed enum parses data. */
final class DockerJavaEngine implements DockerEngine {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final DockerClient client;
  private final DockerHttpClient http;

  DockerJavaEngine(String host, DockerClient client, DockerHttpClient http) {
    this.host = host;
    this.client = client;
    this.http = http;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public List<String> runningContainers(Map<String, String> labels) {
    var command = client.listContainersCmd().withStatusFilter(List.of("running"));
    if (!labels.isEmpty()) {
      command.withLabelFilter(labels);
    }
    return command.exec().stream().map(Container::getId).toList();
  }

  @Override
  public List<String> containersNamed(String prefix) {
    // The engine's name filter matches substrings; the prefix is checked here.
    return client.listContainersCmd().withShowAll(true).withNameFilter(List.of(prefix)).exec().stream()
        .filter(c -> c.getNames() != null && Arrays.stream(c.getNames())
            .anyMatch(n -> n.startsWith("/" + prefix) || n.startsWith(prefix)))
        .map(Container::getId).toList();
  }

  @Override
  public Optional<String> inspectRaw(String nameOrId) throws IOException {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET)
        .path("/containers/" + URLEncoder.encode(nameOrId, StandardCharsets.UTF_8) + "/json")
        .build();
    try (DockerHttpClient.Response response = http.execute(request); InputStream body = response.getBody()) {
      String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      if (response.getStatusCode() == 404) {
        return Optional.empty();
      }
      if (response.getStatusCode() != 200) {
        throw new IOException("inspect " + nameOrId + ": engine answered " + response.getStatusCode() + " "
            + text.strip());
      }
      return Optional.of(text);
    } catch (RuntimeException e) {
      throw new IOException("inspect " + nameOrId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public ExecResult exec(String containerId, String user, List<String> command, Duration timeout, int maxBytes)
      throws IOException {
    try {
      ExecCreateCmdResponse created = client.execCreateCmd(containerId)
          .withUser(user)
          .withAttachStdout(true)
          .withAttachStderr(true)
          .withCmd(command.toArray(String[]::new))
          .exec();
      BoundedOutput stdout = new BoundedOutput(maxBytes);
      BoundedOutput stderr = new BoundedOutput(64 * 1024);
      boolean finished;
      try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(created.getId())
          .exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(frame.getPayload());
            }
          })) {
        // awaitCompletion rethrows the first error the stream saw, unlike a callback that sinks errors.
        finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      Long exit = finished ? client.inspectExecCmd(created.getId()).exec().getExitCodeLong() : null;
      return new ExecResult(exit == null ? -1 : exit, stdout.toString(), stderr.toString(), stdout.truncated(),
          !finished);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("exec in " + containerId + " interrupted", e);
    } catch (RuntimeException e) {
      throw new IOException("exec as " + user + ": " + e.getMessage(), e);
    }
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
    send(DockerHttpClient.Request.Method.POST, "/containers/" + containerId + "/stop?t=" + grace.toSeconds(), null,
        204);
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
    try (ResultCallback.Adapter<Frame> callback = client.logContainerCmd(containerId).withStdOut(true)
        .withStdErr(true).withFollowStream(false).exec(new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            all.append(frame.getPayload());
          }
        })) {
      callback.awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("logs of " + containerId + " interrupted", e);
    } catch (RuntimeException e) {
      throw new IOException("logs of " + containerId + ": " + e.getMessage(), e);
    }
    return new ExecResult(0, all.toString(), "", all.truncated(), false);
  }

  /** A raw request: the body is JSON we built, so no typed docker-java model (or its Capability enum) is involved. */
  private String send(DockerHttpClient.Request.Method method, String path, String json, int expected)
      throws IOException {
    DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(path);
    if (json != null) {
      request.putHeader("Content-Type", "application/json")
          .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
    try (DockerHttpClient.Response response = http.execute(request.build()); InputStream body = response.getBody()) {
      String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
      if (response.getStatusCode() != expected && !(expected == 204 && response.getStatusCode() == 304)) {
        String message = text.strip();
        try {
          message = JSON.readTree(text).path("message").asText(message);
        } catch (IOException notJson) {
          // keep the raw body as the message
        }
        throw new IOException(method + " " + path + ": engine answered " + response.getStatusCode() + ": " + message);
      }
      return text;
    } catch (RuntimeException e) {
      throw new IOException(method + " " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Nothing is pending when the scan closes the client; a failure to close changes no result.
    }
  }

  // --- enforce ---

  @Override
  public List<String> containersLabelled(Map<String, String> labels) throws IOException {
    try {
      return client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
          .map(Container::getId).toList();
    } catch (RuntimeException e) {
      throw new IOException("list containers labelled " + labels.keySet() + ": " + e.getMessage(), e);
    }
  }
}

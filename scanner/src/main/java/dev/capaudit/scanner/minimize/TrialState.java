package dev.capaudit.scanner.minimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.scanner.docker.DockerEngine;
import java.io.IOException;
import java.util.Optional;

/**
 * What a trial's container is doing, from the engine's raw inspect: its state, exit, restarts and health.
 *
 * @param health {@code State.Health.Status} ({@code starting}, {@code healthy}, {@code unhealthy}) when the image or
 *     container has a HEALTHCHECK
 */
record TrialState(String status, boolean running, boolean restarting, long exitCode, int restartCount,
    boolean oomKilled, Optional<String> health) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static TrialState read(DockerEngine engine, String id) throws IOException {
    String json = engine.inspectRaw(id).orElseThrow(() -> new IOException("trial container " + id + " vanished"));
    return parse(JSON.readTree(json));
  }

  static TrialState parse(JsonNode inspect) {
    JsonNode state = inspect.path("State");
    JsonNode health = state.path("Health").path("Status");
    return new TrialState(state.path("Status").asText(""), state.path("Running").asBoolean(false),
        state.path("Restarting").asBoolean(false), state.path("ExitCode").asLong(0),
        inspect.path("RestartCount").asInt(0), state.path("OOMKilled").asBoolean(false),
        health.isTextual() && !health.asText().isEmpty() ? Optional.of(health.asText()) : Optional.empty());
  }

  /** {@code exited with code 127}, {@code running}, {@code restarting}: the state as evidence. */
  String describe() {
    if (restarting) {
      return "restarting";
    }
    if (running) {
      return health.map(h -> "running (" + h + ")").orElse("running");
    }
    return (status.isEmpty() ? "exited" : status) + " with code " + exitCode + (oomKilled ? " (killed: out of memory)"
        : "");
  }
}

package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capaudit.scanner.docker.DockerEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine calls of an enforce run, each bounded in time, with the waits the bare calls leave out. */
final class Operations {
  /** What the engine gives a container on SIGTERM when it asked for nothing (moby's default). */
  static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(10);
  /** Past the stop timeout: the engine's SIGKILL and the removal of an AutoRemove container take a moment. */
  private static final Duration MARGIN = Duration.ofSeconds(15);
  private static final Duration POLL = Duration.ofMillis(200);

  private final DockerEngine engine;
  private final Optional<Duration> stopOverride;
  private final Duration margin;
  private final Duration poll;

  Operations(DockerEngine engine, Optional<Duration> stopOverride) {
    this(engine, stopOverride, MARGIN, POLL);
  }

  /** With shorter waits, for tests of an engine that never gets there. */
  Operations(DockerEngine engine, Optional<Duration> stopOverride, Duration margin, Duration poll) {
    this.engine = engine;
    this.stopOverride = stopOverride;
    this.margin = margin;
    this.poll = poll;
  }

  DockerEngine engine() {
    return engine;
  }

  Optional<ContainerFacts> inspect(String nameOrId) throws IOException {
    Optional<String> json = engine.inspectRaw(nameOrId);
    return json.isPresent() ? Optional.of(ContainerFacts.parse(json.get())) : Optional.empty();
  }

  ContainerFacts require(String nameOrId) throws IOException {
    return inspect(nameOrId).orElseThrow(() -> new IOException("no container " + nameOrId));
  }

  /** Every container, running or not, carrying the labels. */
  List<ContainerFacts> labelled(Map<String, String> labels) throws IOException {
    List<ContainerFacts> found = new ArrayList<>();
    for (String id : engine.containers(DockerEngine.EVERY_STATE, labels)) {
      inspect(id).ifPresent(found::add); // one removed since the listing is simply not there
    }
    return found;
  }

  /** The --stop-timeout given, else the container's own StopTimeout, else the engine's default. */
  Duration stopTimeout(ContainerFacts container) {
    return stopOverride.or(container::stopTimeout).orElse(ENGINE_STOP_TIMEOUT);
  }

  /**
   * Stops a container with its stop timeout and returns once it no longer runs; an AutoRemove container also once
   * the engine has removed it, since until then it holds its name. The stop call's answer can outlast the client's
   * response timeout for long stop timeouts, so a failed call is followed by watching the container instead.
   */
  void stop(ContainerFacts container) throws IOException {
    Duration timeout = stopTimeout(container);
    try {
      engine.stop(container.id(), timeout);
    } catch (IOException e) {
      if (!awaitStopped(container.id(), timeout.plus(margin))) {
        throw e;
      }
    }
    if (container.autoRemove()) {
      awaitGone(container.id());
    }
  }

  /** Waits until the engine has removed a container (AutoRemove does it after the stop returns). */
  void awaitGone(String id) throws IOException {
    long deadline = System.nanoTime() + margin.toNanos();
    while (engine.inspectRaw(id).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("container " + id + " stopped but was not removed within " + margin.toSeconds() + " s");
      }
      pause();
    }
  }

  private boolean awaitStopped(String id, Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ContainerFacts> now = inspect(id);
      if (now.isEmpty() || !now.get().running()) {
        return true;
      }
      pause();
    }
    return false;
  }

  /** Creates a container and connects it to the networks beyond its primary one. */
  String create(String name, JsonNode body, Map<String, JsonNode> extraNetworks) throws IOException {
    String id = engine.create(name, body.toString());
    for (Map.Entry<String, JsonNode> network : extraNetworks.entrySet()) {
      engine.connect(network.getKey(), id, network.getValue().toString());
    }
    return id;
  }

  /** Removes a container and its anonymous volumes unless another container uses them; gone already is fine. */
  void remove(String id) throws IOException {
    try {
      engine.remove(id);
    } catch (IOException e) {
      if (engine.inspectRaw(id).isPresent()) {
        throw e;
      }
    }
  }

  void rename(String id, String name) throws IOException {
    engine.rename(id, name);
  }

  void start(String nameOrId) throws IOException {
    engine.start(nameOrId);
  }

  private void pause() throws IOException {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the engine", e);
    }
  }
}

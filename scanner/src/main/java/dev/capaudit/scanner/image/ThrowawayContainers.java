package dev.capaudit.scanner.image;

import dev.capaudit.scanner.docker.DockerEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The throwaway containers of one run (the gate's, minimize's trials), all carrying the run's label, and removed
 * whatever happens: by their caller when done, by {@link #close} at the end of the run, and by a shutdown hook on
 * Ctrl-C or SIGTERM. Both of the last also remove by label, which finds a container the engine created although its
 * answer never came back (a create that timed out).
 */
public final class ThrowawayContainers implements AutoCloseable {
  private final DockerEngine engine;
  private final Map<String, String> label;
  private final Duration drain;
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Thread hook = new Thread(this::removeAll, "capaudit-throwaway-cleanup");
  private volatile boolean closing;
  /** Creates the engine may still be carrying out: removal waits for them, so none is created after it. */
  private int creating;

  /**
   * @param drain how long removal waits for creates in flight: one engine call's limit is enough
   */
  public ThrowawayContainers(DockerEngine engine, String labelKey, String runId, Duration drain) {
    this.engine = engine;
    this.label = Map.of(labelKey, runId);
    this.drain = drain;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Creates a container of the run; refused once the run is ending, so nothing new outlives it. */
  public String create(String name, String createJson) throws IOException {
    synchronized (this) {
      if (closing) {
        throw new IOException("the run is ending: no new container is created");
      }
      creating++;
    }
    try {
      String id = engine.create(name, createJson);
      live.add(id);
      return id;
    } finally {
      synchronized (this) {
        creating--;
        notifyAll();
      }
    }
  }

  /** Whether the run is ending (closed, or the JVM is shutting down): callers stop and remove what they made. */
  public boolean closing() {
    return closing;
  }

  /** Removes one container of the run; one already gone is no error. */
  public void remove(String id) {
    try {
      engine.remove(id);
    } catch (IOException e) {
      // Already gone (removed by the other path, or by the engine) or the engine went away: the sweep tries again.
    }
    live.remove(id);
  }

  @Override
  public void close() {
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already and removes the containers itself
    }
  }

  private void removeAll() {
    closing = true;
    awaitCreates();
    List.copyOf(live).forEach(this::remove);
    try {
      engine.containers(DockerEngine.EVERY_STATE, label).forEach(this::remove);
    } catch (IOException e) {
      // The engine is gone: the containers it knew by id are removed above; nothing more can be done from here.
    }
  }

  private synchronized void awaitCreates() {
    long deadline = System.nanoTime() + drain.toNanos();
    while (creating > 0 && System.nanoTime() < deadline) {
      try {
        wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

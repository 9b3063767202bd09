package dev.capaudit.scanner.live;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineCapabilities;
import dev.capaudit.scanner.docker.EngineInfo;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.ProcessTable;
import dev.capaudit.scanner.runtime.BundleLocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Audits live containers in parallel with a bounded pool. One container that hangs or fails becomes an error target;
 * it never stalls or fails the others.
 */
public final class LiveScanner {
  /** The states a scan of "every container" covers: a paused container is frozen, not invisible. */
  public static final Set<String> AUDITED_STATES = Set.of("running", "paused");

  private final DockerEngine engine;
  private final HostProc hostProc;
  private final ScanSettings settings;
  private final String engineLabel;
  /** The host's process table for the next scan, when its reading was started ahead of it; a scan consumes it. */
  private CompletableFuture<Optional<ProcessTable>> pendingTable;

  public LiveScanner(DockerEngine engine, HostProc hostProc, ScanSettings settings) {
    this(engine, hostProc, settings, engine.host());
  }

  /** @param engineLabel how every target names its engine: a context's name, or the engine's address */
  public LiveScanner(DockerEngine engine, HostProc hostProc, ScanSettings settings, String engineLabel) {
    this.engine = engine;
    this.hostProc = hostProc;
    this.settings = settings;
    this.engineLabel = engineLabel;
  }

  /** Running and paused containers with all the labels (every one when there are none). */
  public List<String> select(Map<String, String> labels) throws IOException {
    return engine.containers(AUDITED_STATES, labels);
  }

  /**
   * Starts reading the host's process table for the next {@link #scan}, while the caller asks the engine which
   * containers to audit: the table does not depend on the engine's answers. A container that starts while the table
   * is read is not in it; its processes are then read through the container, and the report says so.
   */
  public synchronized void startReadingHost() {
    if (pendingTable == null) {
      pendingTable = new CompletableFuture<>();
      CompletableFuture<Optional<ProcessTable>> table = pendingTable;
      daemon(() -> {
        try {
          table.complete(readTable());
        } catch (RuntimeException | Error e) {
          table.completeExceptionally(e);
        }
      }).start();
    }
  }

  /** The table read ahead for this scan, or one read now on the caller's thread; the next scan reads its own. */
  private Optional<ProcessTable> takeTable() {
    CompletableFuture<Optional<ProcessTable>> ahead;
    synchronized (this) {
      ahead = pendingTable;
      pendingTable = null;
    }
    return ahead == null ? readTable() : ahead.join();
  }

  private Optional<ProcessTable> readTable() {
    if (!hostProc.readable()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ProcessTable.read(hostProc));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Audits one container (the image gate's and enforce's own containers): the same reading as a scan of many. */
  public TargetSnapshot scanOne(String nameOrId) {
    return scan(List.of(nameOrId), done -> { }).get(0);
  }

  public List<TargetSnapshot> scan(List<String> namesOrIds, IntConsumer progress) {
    // The engine's answers and the host's /proc do not depend on each other: asked and read at once (on threads of
    // their own, since the common pool's are busy reading /proc).
    ExecutorService askers = Executors.newFixedThreadPool(2, LiveScanner::daemon);
    Optional<HostView> host;
    EngineInfo info;
    try {
      CompletableFuture<EngineInfo> asked = CompletableFuture.supplyAsync(this::info, askers);
      CompletableFuture<Optional<Set<String>>> known = hostProc.readable()
          ? CompletableFuture.supplyAsync(this::knownContainers, askers)
          : CompletableFuture.completedFuture(Optional.empty());
      host = hostView(takeTable(), known);
      info = asked.join();
    } finally {
      askers.shutdownNow();
    }
    CapabilityMask kernel = host.map(h -> h.proc().kernelCapabilities()).orElse(CapabilityMask.ALL_KNOWN);
    TargetOrigin origin = TargetOrigin.UNKNOWN.withEngine(engineLabel)
        .withRuntime(info.isPodman() ? "podman" : "docker").withNode(info.name());
    ContainerScanner scanner = new ContainerScanner(engine, host, settings, EngineCapabilities.all(info, kernel),
        origin);
    int width = Math.max(1, Math.min(settings.parallelism(), namesOrIds.size()));
    ExecutorService pool = Executors.newFixedThreadPool(width, LiveScanner::daemon);
    try {
      List<Future<TargetSnapshot>> futures = new ArrayList<>();
      for (String target : namesOrIds) {
        futures.add(pool.submit(() -> scanner.scan(target)));
      }
      List<TargetSnapshot> results = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < futures.size(); i++) {
        // Target i starts once the i / width batches before it are done: its own time limit counts from there,
        // so waiting on the targets one by one never adds their timeouts up.
        long deadline = started + settings.targetTimeout().toNanos() * (1 + i / width);
        results.add(await(futures.get(i), namesOrIds.get(i), deadline).withOrigin(origin));
        progress.accept(i + 1);
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "capaudit-scan");
    thread.setDaemon(true);
    return thread;
  }

  private EngineInfo info() {
    try {
      return engine.info();
    } catch (IOException e) {
      return EngineInfo.UNKNOWN;
    }
  }

  /** The host's /proc, read once per scan, and the runtimes' state, when this process can read them. */
  private Optional<HostView> hostView(Optional<ProcessTable> table, CompletableFuture<Optional<Set<String>>> known) {
    return table.map(read -> new HostView(hostProc, read, new BundleLocator(hostProc, settings.runtimeRoots()),
        known.join()));
  }

  /** Every container the engine has, to tell another container's process from one of no container. */
  private Optional<Set<String>> knownContainers() {
    try {
      return Optional.of(new HashSet<>(engine.containers(DockerEngine.EVERY_STATE, Map.of())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private TargetSnapshot await(Future<TargetSnapshot> future, String target, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return TargetSnapshot.unreadable(TargetKind.CONTAINER, "", target, "", "audit timed out after "
          + settings.targetTimeout().toSeconds() + " s");
    } catch (ExecutionException e) {
      return TargetSnapshot.unreadable(TargetKind.CONTAINER, "", target, "", "audit failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TargetSnapshot.unreadable(TargetKind.CONTAINER, "", target, "", "audit interrupted");
    }
  }
}

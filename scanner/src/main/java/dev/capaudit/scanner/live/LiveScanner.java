package dev.capaudit.scanner.live;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.PidNamespaceIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
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
  private final DockerEngine engine;
  private final HostProc hostProc;
  private final ScanSettings settings;

  public LiveScanner(DockerEngine engine, HostProc hostProc, ScanSettings settings) {
    this.engine = engine;
    this.hostProc = hostProc;
    this.settings = settings;
  }

  /** Running containers with all the labels (every running container when there are none). */
  public List<String> select(Map<String, String> labels) throws IOException {
    return engine.runningContainers(labels);
  }

  /** Audits one container (the image gate's and enforce's own containers): the same reading as a scan of many. */
  public TargetSnapshot scanOne(String nameOrId) {
    return scan(List.of(nameOrId), done -> { }).get(0);
  }

  public List<TargetSnapshot> scan(List<String> namesOrIds, IntConsumer progress) {
    Optional<HostView> host = hostView();
    CapabilityMask kernel = host.map(h -> h.proc().kernelCapabilities()).orElse(CapabilityMask.ALL_KNOWN);
    ContainerScanner scanner = new ContainerScanner(engine, host, settings, kernel);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.parallelism(),
        namesOrIds.size())), runnable -> {
          Thread thread = new Thread(runnable, "capaudit-scan");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<Future<TargetSnapshot>> futures = new ArrayList<>();
      for (String target : namesOrIds) {
        futures.add(pool.submit(() -> scanner.scan(target)));
      }
      List<TargetSnapshot> results = new ArrayList<>();
      long started = System.nanoTime();
      int width = Math.max(1, Math.min(settings.parallelism(), namesOrIds.size()));
      for (int i = 0; i < futures.size(); i++) {
        // Target i starts once the i / width batches before it are done: its own time limit counts from there,
        // so waiting on the targets one by one never adds their timeouts up.
        long deadline = started + settings.targetTimeout().toNanos() * (1 + i / width);
        results.add(await(futures.get(i), namesOrIds.get(i), deadline));
        progress.accept(i + 1);
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The host's /proc, indexed once, when this process can read it; exec is the fallback otherwise. */
  private Optional<HostView> hostView() {
    if (!hostProc.readable()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new HostView(hostProc, PidNamespaceIndex.build(hostProc)));
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

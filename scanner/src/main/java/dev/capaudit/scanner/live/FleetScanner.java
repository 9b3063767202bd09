package dev.capaudit.scanner.live;

import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineSelection;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Audits several engines in one run, a bounded number at once. An engine that is down, refuses TLS or times out is
 * an {@code error} target of its own, naming it and the reason; the other engines complete. Every target carries
 * its engine, so the same container name on two engines is two targets.
 */
public final class FleetScanner {
  /** Connects to one engine; the message of a failure is what its error target says. */
  @FunctionalInterface
  public interface Connector {
    DockerEngine connect(EngineSelection selection) throws Exception;
  }

  /**
   * What to audit on every engine.
   *
   * @param names containers named on the command line: audited on every engine that has them; a name no engine has
   *     is an error target
   * @param labels with {@code all}: the running and paused containers with these labels
   */
  public record Selection(List<String> names, boolean all, Map<String, String> labels) {
    public Selection {
      names = List.copyOf(names);
      labels = Map.copyOf(labels);
    }
  }

  private final Connector connector;
  private final HostProc hostProc;
  private final ScanSettings settings;
  private final int parallelism;

  public FleetScanner(Connector connector, HostProc hostProc, ScanSettings settings, int parallelism) {
    this.connector = connector;
    this.hostProc = hostProc;
    this.settings = settings;
    this.parallelism = Math.max(1, parallelism);
  }

  public List<TargetSnapshot> scan(List<EngineSelection> engines, Selection selection) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, engines.size()), runnable -> {
      Thread thread = new Thread(runnable, "capaudit-engine");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<EngineResult>> futures = new ArrayList<>();
      for (EngineSelection engine : engines) {
        futures.add(pool.submit(() -> scanEngine(engine, selection)));
      }
      List<TargetSnapshot> targets = new ArrayList<>();
      Set<String> found = new LinkedHashSet<>();
      for (int i = 0; i < futures.size(); i++) {
        EngineResult result = await(futures.get(i), engines.get(i));
        targets.addAll(result.targets());
        found.addAll(result.foundNames());
      }
      for (String name : selection.names()) {
        if (!found.contains(name)) {
          targets.add(TargetSnapshot.unreadable(TargetKind.CONTAINER, "", name, "",
              "no engine named has a container " + name));
        }
      }
      return targets;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One engine's targets, and which of the named containers it had. */
  private record EngineResult(List<TargetSnapshot> targets, Set<String> foundNames) {}

  private EngineResult scanEngine(EngineSelection engine, Selection selection) {
    String label = label(engine);
    DockerEngine docker;
    try {
      docker = connector.connect(engine);
    } catch (Exception e) {
      return new EngineResult(List.of(unreadable(label, e.getMessage())), Set.of());
    }
    try (docker) {
      LiveScanner scanner = new LiveScanner(docker, hostProc, settings, label);
      List<String> ids = new ArrayList<>();
      Set<String> found = new LinkedHashSet<>();
      for (String name : selection.names()) {
        if (docker.inspectRaw(name).isPresent()) {
          ids.add(name);
          found.add(name);
        }
      }
      if (selection.all()) {
        ids.addAll(scanner.select(selection.labels()));
      }
      return new EngineResult(scanner.scan(ids.stream().distinct().toList(), done -> { }), found);
    } catch (IOException | RuntimeException e) {
      return new EngineResult(List.of(unreadable(label, "cannot list its containers: " + e.getMessage())),
          Set.of());
    }
  }

  private EngineResult await(Future<EngineResult> future, EngineSelection engine) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      return new EngineResult(List.of(unreadable(label(engine), "audit failed: " + e.getCause())), Set.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new EngineResult(List.of(unreadable(label(engine), "audit interrupted")), Set.of());
    }
  }

  private static String label(EngineSelection engine) {
    return engine.label().orElse(engine.describe());
  }

  /** An engine that could not be read is a target of its own: it is never a pass, and never silently missing. */
  private static TargetSnapshot unreadable(String engine, String reason) {
    return TargetSnapshot.unreadable(TargetKind.ENGINE, engine, engine, "", reason)
        .withOrigin(TargetOrigin.UNKNOWN.withEngine(engine));
  }
}

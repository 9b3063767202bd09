package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineInfo;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The work the loop hands to its workers, on one connection to the engine: a container's audit once it has settled,
 * a full rescan, an exec session's process. Each reads as a scan does and is judged here, off the loop's thread.
 */
final class AuditJobs {
  /** One audited container, by the id it was asked for (an unreadable target may not know its own). */
  record Item(String id, TargetResult result) {}

  /** What a rescan found: every container it listed, and their audits. */
  record Rescanned(List<String> listed, List<Item> items) {}

  private final DockerEngine engine;
  private final WatchSettings settings;
  private final Auditor auditor;
  private final LiveScanner scanner;
  private final Settling settling;
  private final ExecReader execs;

  AuditJobs(DockerEngine engine, HostProc proc, ScanSettings scan, WatchSettings settings, Auditor auditor) {
    this.engine = engine;
    this.settings = settings;
    this.auditor = auditor;
    this.scanner = new LiveScanner(engine, proc, scan);
    boolean hostReadable = proc.readable();
    this.settling = new Settling(engine, proc, hostReadable, settings.settleTimeout());
    this.execs = new ExecReader(engine, proc, hostReadable, settings.execPidWait(), origin(engine));
  }

  /**
   * The container's audit, after it settled when asked to; empty when it was gone by then.
   *
   * @param sessions its exec sessions' processes, judged on their own lines and set apart here
   */
  Optional<Item> container(String id, boolean settle, List<ExecSessions.Session> sessions) throws IOException {
    String note = "";
    if (settle) {
      Optional<String> settled = settling.await(id);
      if (settled.isEmpty()) {
        return Optional.empty();
      }
      note = settled.get();
    }
    TargetSnapshot target = ExecSessions.setAside(scanner.scanOne(id), sessions);
    if (!note.isEmpty()) {
      target = target.withMore(List.of(), List.of(note));
    }
    return Optional.of(new Item(id, auditor.audit(target)));
  }

  /** Every running and paused container with the watched labels, audited in one scan; sessions as above. */
  Rescanned rescan(Map<String, List<ExecSessions.Session>> sessions) throws IOException {
    List<String> ids = scanner.select(settings.labels());
    List<TargetSnapshot> targets = scanner.scan(ids, done -> { });
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      TargetSnapshot target = ExecSessions.setAside(targets.get(i), sessions.getOrDefault(ids.get(i), List.of()));
      items.add(new Item(ids.get(i), auditor.audit(target)));
    }
    return new Rescanned(ids, items);
  }

  ExecReader.Read exec(WatchEvent event) {
    return execs.read(event.containerId(), event.execId().orElseThrow(), event.name());
  }

  TargetResult judge(TargetSnapshot target) {
    return auditor.audit(target);
  }

  /** Where this engine's targets are found, as a live scan names it. */
  private static TargetOrigin origin(DockerEngine engine) {
    EngineInfo info;
    try {
      info = engine.info();
    } catch (IOException e) {
      info = EngineInfo.UNKNOWN;
    }
    return TargetOrigin.UNKNOWN.withEngine(engine.host()).withRuntime(info.isPodman() ? "podman" : "docker")
        .withNode(info.name());
  }
}

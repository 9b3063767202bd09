package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.SettleLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Lets the replacement settle within the grace period, then audits it exactly like a live scan: it verifies when it
 * still runs, can be read, and passes the policy. Without the host view there is no process tree to watch, so the
 * whole grace period is waited.
 */
final class AuditVerifier implements Verifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerEngine engine;
  private final HostProc proc;
  private final ScanSettings scanSettings;
  private final Auditor auditor;
  private final Duration grace;

  AuditVerifier(DockerEngine engine, HostProc proc, ScanSettings scanSettings, Auditor auditor, Duration grace) {
    this.engine = engine;
    this.proc = proc;
    this.scanSettings = scanSettings;
    this.auditor = auditor;
    this.grace = grace;
  }

  @Override
  public Verification verify(String id, BooleanSupplier cancelled) throws IOException {
    SettleLoop loop = new SettleLoop(proc, () -> state(id), cancelled);
    SettleLoop.Outcome settled = proc.readable() ? loop.watch(grace) : loop.waitFixed(grace);
    if (settled.result() == SettleLoop.Result.CANCELLED) {
      return failed("interrupted while it settled");
    }
    if (settled.result() == SettleLoop.Result.EXITED) {
      return failed("it exited with code " + settled.exitCode().orElse(-1L) + " within the grace period of "
          + grace.toSeconds() + " s");
    }
    TargetSnapshot audited = new LiveScanner(engine, proc, scanSettings).scanOne(id);
    if (!audited.errors().isEmpty()) {
      return new Verification(Optional.of(audited), Optional.of("it cannot be audited: " + audited.errors().get(0)));
    }
    TargetResult result = auditor.audit(audited);
    if (result.verdict() != Verdict.PASS) {
      return new Verification(Optional.of(audited), Optional.of(result.worstFinding().map(f -> f.message())
          .orElse("verdict " + result.verdict().id())));
    }
    return new Verification(Optional.of(audited), Optional.empty());
  }

  private SettleLoop.State state(String id) throws IOException {
    JsonNode state = JSON.readTree(engine.inspectRaw(id).orElse("{}")).path("State");
    return new SettleLoop.State(state.path("Running").asBoolean(false), state.path("Pid").asInt(),
        state.path("ExitCode").asLong(-1));
  }

  private static Verification failed(String why) {
    return new Verification(Optional.empty(), Optional.of(why));
  }
}

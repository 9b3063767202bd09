package dev.capaudit.scanner.enforce;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.enforce.EnforcementPlan;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** A fake engine holding one running container, {@code agent}, and a recreator over it with test seams. */
final class Fixture {
  static final String NAME = "agent";
  static final Verifier.Verification PASS = new Verifier.Verification(Optional.empty(), Optional.empty());

  final FakeEngine engine = new FakeEngine();
  final List<String> log = new ArrayList<>();
  final FakeEngine.Box original;
  /** Asks once whether to stop, as the settle loop does before anything else. */
  Verifier verifier = (id, cancelled) -> cancelled.getAsBoolean()
      ? new Verifier.Verification(Optional.empty(), Optional.of("interrupted while it settled")) : PASS;
  Checkpoints checkpoints = Checkpoints.NONE;
  Supplier<LockHolder> holder = LockHolder::current;
  EnforceSettings settings = settings(false, false, false);

  Fixture() {
    this(false);
  }

  Fixture(boolean autoRemove) {
    Map<String, Object> host = new LinkedHashMap<>();
    host.put("CapDrop", List.of());
    host.put("AutoRemove", autoRemove);
    original = engine.add(NAME, true, host, Map.of("app", "demo"));
  }

  static EnforceSettings settings(boolean removeBackup, boolean allowAutoRemove, boolean breakLock) {
    return new EnforceSettings(Duration.ofSeconds(1), Optional.empty(), removeBackup, allowAutoRemove, breakLock);
  }

  Recreator recreator() {
    return new Recreator(new Operations(engine, settings.stopTimeout(), Duration.ofMillis(300), Duration.ofMillis(10)),
        verifier, settings, Clock.fixed(Instant.parse("2026-12-01T07:43:47Z"), ZoneOffset.UTC), log -> checkpoints,
        holder);
  }

  EnforceRun begin() throws EnforceRefused, IOException {
    return recreator().begin(NAME, log::add);
  }

  EnforceOutcome apply() throws EnforceRefused, IOException {
    try (EnforceRun run = begin()) {
      return run.apply(plan());
    }
  }

  static EnforcementPlan plan() {
    CapabilityMask current = CapabilityMask.parse("0xa80425fb");
    return new EnforcementPlan(NAME, current, List.of(Capability.CHOWN), false,
        current.minus(CapabilityMask.of(List.of(Capability.CHOWN))), List.of(), false);
  }

  /** This process, but started at another time: the kernel would say that process is gone. */
  static LockHolder gone() {
    LockHolder me = LockHolder.current();
    return new LockHolder(me.pid(), me.startMillis() + 1, me.bootId(), me.pidNamespace(), "old-host");
  }

  /** A process on another machine. */
  static LockHolder elsewhere() {
    return new LockHolder(4242, 1_700_000_000_000L, "another-boot-id", "pid:[4026531836]", "ci-7");
  }

  /**
   * Runs enforce until it "dies" at the point, holding its lock, as after a SIGKILL; the next run starts from a
   * clean slate of test seams and finds the lock's holder gone.
   */
  void crashAt(String point) throws Exception {
    holder = Fixture::gone;
    checkpoints = (reached, interruption) -> {
      if (reached.equals(point)) {
        throw new Crash();
      }
    };
    assertThatThrownBy(() -> begin().apply(plan())).isInstanceOf(Crash.class);
    holder = LockHolder::current;
    checkpoints = Checkpoints.NONE;
  }

  Optional<FakeEngine.Box> lock() {
    return engine.named(RunNames.lock(NAME));
  }

  /** Every container but the original and its lock. */
  List<FakeEngine.Box> madeByEnforce() {
    return engine.all().stream().filter(b -> b.labels().containsKey(RunRecord.RUN)
        && !RunRecord.Role.LOCK.label().equals(b.labels().get(RunRecord.ROLE))).toList();
  }

  /** Simulates a SIGKILL: the run stops where it is, no cleanup of any kind runs. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;
  }
}

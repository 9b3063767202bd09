package dev.capaudit.scanner.minimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.capability.DockerCapabilities;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MinimizerTest {
  private static final CapabilityMask NEEDED = CapabilityMask.of(Capability.SETPCAP, Capability.SETUID,
      Capability.SETGID);
  private static final CapabilityMask SETPCAP = CapabilityMask.of(Capability.SETPCAP);

  @TempDir
  Path noProc;

  /** The seeds' entrypoint: capsh drops with SETPCAP, setpriv steps down to uid 1000 (needs SETUID, SETGID). */
  private static TrialEngine.Behaviour capshThenSetpriv(CapabilityMask set) {
    if (!set.contains(Capability.SETUID)) {
      return TrialEngine.Behaviour.exits(127, "stage1 CapBnd=" + set + "\nsetpriv: setresuid failed: Operation not"
          + " permitted\n");
    }
    if (!set.contains(Capability.SETGID)) {
      return TrialEngine.Behaviour.exits(127, "setpriv: setresgid failed: Operation not permitted\n");
    }
    return TrialEngine.Behaviour.running("stage1 CapBnd=" + set + "\n");
  }

  /** What the live audit shows of it: without SETPCAP nothing is dropped and the agent keeps the whole set. */
  private static TargetSnapshot agent(CapabilityMask set) {
    CapabilityMask bounding = set.contains(Capability.SETPCAP) ? SETPCAP : set;
    CapabilityMask none = CapabilityMask.EMPTY;
    ProcStatus status = new ProcStatus(4242, List.of(4242, 1), 0, "sleep", 1000, 1000, 1000, 1000,
        CapabilitySets.of(none, none, none, bounding, none), Optional.of(false), Optional.empty());
    return new TargetSnapshot(TargetKind.CONTAINER, "id", "trial", "capaudit-test:latest", Map.of(),
        Optional.of(new ContainerConfig(false, List.of(), List.of("ALL"), set, "", false, Optional.empty(),
            List.of())), List.of(new ProcessSnapshot(status, 1, 0, ObservationSource.HOST_PROC)), List.of(),
        List.of(), List.of());
  }

  private Minimizer minimizer(TrialEngine engine, Function<CapabilityMask, TargetSnapshot> audit) {
    return new Minimizer(new Minimizer.Context(engine, new HostProc(noProc.resolve("proc")),
        id -> audit.apply(engine.box(id).orElseThrow().set()), Duration.ofSeconds(5)));
  }

  private static MinimizeSettings settings(int parallel, Optional<Duration> budget, Duration hold) {
    return new MinimizeSettings(Optional.empty(), List.of(), new TrialSettings(hold, Duration.ofSeconds(10),
        Optional.of(Duration.ZERO), ReadyChecks.NONE, Duration.ofSeconds(5)), parallel, budget);
  }

  private static ImageTrials image() {
    return new ImageTrials("capaudit-test:latest", Optional.empty(), List.of(), List.of());
  }

  @Test
  void finds_setpcap_setuid_and_setgid_for_the_capsh_and_setpriv_entrypoint() throws IOException {
    TrialEngine engine = new TrialEngine(MinimizerTest::capshThenSetpriv);
    List<TrialOutcome> told = new ArrayList<>();

    MinimizeResult result = minimizer(engine, MinimizerTest::agent).run(image(), settings(4, Optional.empty(),
        Duration.ZERO), told::add);

    assertThat(result.status()).isEqualTo(MinimizeResult.Status.MINIMAL);
    assertThat(result.set()).isEqualTo(NEEDED);
    assertThat(result.start()).isEqualTo(DockerCapabilities.DEFAULT_SET);
    assertThat(result.trials()).hasSize(13);
    assertThat(told).hasSize(13);
    assertThat(result.decisive().orElseThrow().request().phase()).isEqualTo(Phase.CONFIRM);
    assertThat(engine.left()).as("every trial container removed").isEmpty();
    assertThat(engine.created()).hasSize(13);
  }

  @Test
  void each_kept_capability_carries_the_trial_without_it_as_evidence() throws IOException {
    TrialEngine engine = new TrialEngine(MinimizerTest::capshThenSetpriv);

    MinimizeResult result = minimizer(engine, MinimizerTest::agent).run(image(), settings(4, Optional.empty(),
        Duration.ZERO), o -> { });

    KeptCapability setuid = kept(result, Capability.SETUID);
    assertThat(setuid.without().orElseThrow().request().set()).isEqualTo(NEEDED.minus(CapabilityMask.of(
        Capability.SETUID)));
    assertThat(setuid.without().orElseThrow().exitCode()).contains(127L);
    assertThat(setuid.without().orElseThrow().evidence()).contains("exited with code 127 before it settled",
        "its log ends: setpriv: setresuid failed: Operation not permitted");
    assertThat(setuid.need()).isEqualTo(Need.ROOT_START_UP);
    KeptCapability setpcap = kept(result, Capability.SETPCAP);
    // Without SETPCAP nothing is dropped: the agent keeps SETUID and SETGID, and that is what fails the trial.
    assertThat(setpcap.without().orElseThrow().reason()).isEqualTo("kept running, but pid 1 (sleep, uid 1000) holds"
        + " CAP_SETGID, CAP_SETUID in its bounding set, which it does not hold with the starting set: its own drop"
        + " failed");
    assertThat(setpcap.without().orElseThrow().state()).isEqualTo("running");
    assertThat(setpcap.holders()).containsExactly("pid 1 (sleep, uid 1000): bounding");
    assertThat(setpcap.contexts()).containsExactlyInAnyOrder(AuditContext.CONFIG, AuditContext.NONROOT_PROCESS,
        AuditContext.ROOT_PROCESS);
    assertThat(setuid.contexts()).containsExactlyInAnyOrder(AuditContext.CONFIG, AuditContext.ROOT_PROCESS);
  }

  @Test
  void every_trial_runs_with_exactly_its_set_no_network_and_the_run_label() throws IOException {
    TrialEngine engine = new TrialEngine(MinimizerTest::capshThenSetpriv);

    MinimizeResult result = minimizer(engine, MinimizerTest::agent).run(image(), settings(4, Optional.empty(),
        Duration.ZERO), o -> { });

    assertThat(engine.created()).allSatisfy(json -> assertThat(json).contains("\"CapDrop\":[\"ALL\"]",
        "\"NetworkMode\":\"none\"", "\"NetworkDisabled\":true", "\"" + Minimizer.LABEL + "\":"));
    assertThat(result.trials()).extracting(t -> t.request().number()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9,
        10, 11, 12, 13);
  }

  @Test
  void no_more_trials_run_at_once_than_parallel_allows() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running(""));

    minimizer(engine, set -> agent(CapabilityMask.EMPTY)).run(image(), settings(2, Optional.empty(),
        Duration.ofMillis(300)), o -> { });

    assertThat(engine.mostRunning()).isEqualTo(2);
  }

  @Test
  void a_workload_that_needs_nothing_ends_with_the_empty_set() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running(""));

    MinimizeResult result = minimizer(engine, set -> agent(CapabilityMask.EMPTY)).run(image(), settings(4,
        Optional.empty(), Duration.ZERO), o -> { });

    assertThat(result.status()).isEqualTo(MinimizeResult.Status.MINIMAL);
    assertThat(result.set()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(result.kept()).isEmpty();
    assertThat(result.trials()).hasSize(3);
  }

  @Test
  void a_workload_that_fails_with_the_starting_set_is_an_error_with_its_log() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.exits(3, "boom\n"));

    MinimizeResult result = minimizer(engine, MinimizerTest::agent).run(image(), settings(4, Optional.empty(),
        Duration.ZERO), o -> { });

    assertThat(result.status()).isEqualTo(MinimizeResult.Status.BASELINE_FAILED);
    assertThat(result.set()).isEqualTo(DockerCapabilities.DEFAULT_SET);
    assertThat(result.kept()).isEmpty();
    assertThat(result.reason()).isEqualTo("the workload fails even with the starting set 0xa80425fb: trial 1"
        + " exited with code 3 before it settled; its log ends: boom");
    assertThat(result.decisive().orElseThrow().log()).isEqualTo("boom\n");
    assertThat(engine.left()).isEmpty();
  }

  @Test
  void a_baseline_whose_processes_cannot_be_read_is_an_error_never_a_pass() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running(""));
    TargetSnapshot unreadable = TargetSnapshot.unreadable(TargetKind.CONTAINER, "id", "trial", "img",
        "no host /proc and no shell");

    MinimizeResult result = minimizer(engine, set -> unreadable).run(image(), settings(4, Optional.empty(),
        Duration.ZERO), o -> { });

    assertThat(result.status()).isEqualTo(MinimizeResult.Status.BASELINE_FAILED);
    assertThat(result.reason()).contains("its processes could not be read (no host /proc and no shell)");
  }

  @Test
  void the_budget_ends_the_run_with_the_best_set_proven_so_far() throws IOException {
    TrialEngine engine = new TrialEngine(MinimizerTest::capshThenSetpriv);

    MinimizeResult result = minimizer(engine, MinimizerTest::agent).run(image(), settings(1,
        Optional.of(Duration.ofMillis(1500)), Duration.ofMillis(600)), o -> { });

    assertThat(result.status()).isEqualTo(MinimizeResult.Status.INCOMPLETE);
    assertThat(result.reason()).startsWith("the budget of 1 s ran out after ")
        .endsWith(" trials: the set is proven to work, not proven minimal");
    TrialOutcome best = result.decisive().orElseThrow();
    assertThat(best.passed()).isTrue();
    assertThat(result.set()).isEqualTo(best.request().set());
    assertThat(result.set().intersect(NEEDED)).isEqualTo(NEEDED);
    assertThat(result.trials()).filteredOn(TrialOutcome::passed).allSatisfy(t -> assertThat(t.request().set().size())
        .isGreaterThanOrEqualTo(result.set().size()));
    assertThat(engine.left()).isEmpty();
  }

  @Test
  void a_create_the_engine_refuses_fails_the_run_and_leaves_nothing() {
    TrialEngine engine = new TrialEngine(MinimizerTest::capshThenSetpriv);
    engine.failCreate(new IOException("No such image: capaudit-test:latest"));

    assertThatThrownBy(() -> minimizer(engine, MinimizerTest::agent).run(image(), settings(4, Optional.empty(),
        Duration.ZERO), o -> { })).isInstanceOf(IOException.class).hasMessage("No such image: capaudit-test:latest");
    assertThat(engine.left()).isEmpty();
  }

  private static KeptCapability kept(MinimizeResult result, Capability capability) {
    return result.kept().stream().filter(k -> k.capability() == capability).findFirst().orElseThrow();
  }
}

package dev.capaudit.scanner.minimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.DockerCapabilities;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SearchTest {
  private static final CapabilityMask DEFAULTS = DockerCapabilities.DEFAULT_SET;
  private static final CapabilityMask CAPSH_SETPRIV = CapabilityMask.of(Capability.SETPCAP, Capability.SETUID,
      Capability.SETGID);

  /** Runs the search to its end against a workload, trials in the order asked; returns every trial run. */
  private static List<TrialRequest> run(Search search, Predicate<CapabilityMask> workload) {
    Deque<TrialRequest> queue = new ArrayDeque<>(search.begin());
    List<TrialRequest> ran = new ArrayList<>();
    while (!queue.isEmpty()) {
      TrialRequest trial = queue.poll();
      ran.add(trial);
      queue.addAll(search.record(trial, workload.test(trial.set())));
    }
    return ran;
  }

  private static Predicate<CapabilityMask> needs(CapabilityMask needed) {
    return set -> set.intersect(needed).equals(needed);
  }

  @Test
  void finds_the_capsh_and_setpriv_needs_from_the_docker_defaults_in_thirteen_trials() {
    Search search = new Search(DEFAULTS);

    List<TrialRequest> ran = run(search, needs(CAPSH_SETPRIV));

    assertThat(search.status()).isEqualTo(Search.Status.MINIMAL);
    assertThat(search.result().orElseThrow().set()).isEqualTo(CAPSH_SETPRIV);
    assertThat(search.result().orElseThrow().phase()).isEqualTo(Phase.CONFIRM);
    assertThat(ran).hasSize(13);
    assertThat(ran.subList(9, 13)).extracting(TrialRequest::phase).containsExactly(Phase.CONFIRM, Phase.VERIFY,
        Phase.VERIFY, Phase.VERIFY);
    assertThat(ran.get(0).phase()).isEqualTo(Phase.BASELINE);
    assertThat(ran.get(0).set()).isEqualTo(DEFAULTS);
    assertThat(ran.get(1).set()).isEqualTo(CapabilityMask.EMPTY);
  }

  @Test
  void each_kept_capability_has_as_evidence_the_minimal_set_without_only_it() {
    Search search = new Search(DEFAULTS);
    List<TrialRequest> ran = run(search, needs(CAPSH_SETPRIV));

    assertThat(search.evidence()).containsOnlyKeys(Capability.SETPCAP, Capability.SETUID, Capability.SETGID);
    search.evidence().forEach((capability, number) -> {
      TrialRequest trial = ran.get(number - 1);
      assertThat(trial.number()).isEqualTo(number);
      assertThat(trial.phase()).isEqualTo(Phase.VERIFY);
      assertThat(trial.set()).isEqualTo(CAPSH_SETPRIV.minus(CapabilityMask.of(capability)));
    });
  }

  @Test
  void a_trial_already_run_with_the_set_is_its_evidence_without_running_again() {
    Search search = new Search(DEFAULTS);

    List<TrialRequest> ran = run(search, needs(CapabilityMask.of(Capability.CHOWN)));

    // The minimal set {CHOWN} without CHOWN is the empty set: trial 2, S without everything.
    assertThat(search.evidence()).containsExactly(Map.entry(Capability.CHOWN, 2));
    assertThat(ran).extracting(TrialRequest::phase).doesNotContain(Phase.VERIFY);
  }

  @Test
  void a_capability_needed_only_beside_others_that_are_gone_goes_too() {
    // Without SETPCAP the entrypoint cannot drop, so every other capability it holds fails the trial; once they
    // are gone, SETPCAP has nothing left to drop (a root entrypoint that only needs CHOWN after its drop).
    CapabilityMask kept = CapabilityMask.of(Capability.CHOWN, Capability.FOWNER, Capability.KILL, Capability.SETGID,
        Capability.SETUID, Capability.SETPCAP);
    Predicate<CapabilityMask> workload = set -> set.contains(Capability.CHOWN)
        && (set.contains(Capability.SETPCAP) || kept.intersect(set).equals(set));
    Search search = new Search(DEFAULTS);

    List<TrialRequest> ran = run(search, workload);

    assertThat(search.result().orElseThrow().set()).isEqualTo(CapabilityMask.of(Capability.CHOWN));
    assertThat(ran).extracting(TrialRequest::phase).containsSubsequence(Phase.CONFIRM, Phase.VERIFY,
        Phase.CONFIRM);
  }

  @Test
  void a_workload_that_needs_nothing_takes_three_trials_and_ends_empty() {
    Search search = new Search(DEFAULTS);

    List<TrialRequest> ran = run(search, set -> true);

    assertThat(ran).extracting(TrialRequest::phase).containsExactly(Phase.BASELINE, Phase.GROUP, Phase.CONFIRM);
    assertThat(search.result().orElseThrow().set()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(search.evidence()).isEmpty();
  }

  @Test
  void a_root_chown_needs_only_chown() {
    Search search = new Search(DEFAULTS);

    List<TrialRequest> ran = run(search, needs(CapabilityMask.of(Capability.CHOWN)));

    assertThat(search.result().orElseThrow().set()).isEqualTo(CapabilityMask.of(Capability.CHOWN));
    assertThat(ran).hasSize(11);
  }

  @Test
  void a_workload_that_fails_with_the_starting_set_ends_the_search() {
    Search search = new Search(DEFAULTS);

    run(search, set -> false);

    assertThat(search.status()).isEqualTo(Search.Status.BASELINE_FAILED);
    assertThat(search.result()).isEmpty();
    assertThat(search.best()).isEmpty();
  }

  @Test
  void every_needed_set_of_the_docker_defaults_is_found_within_the_stated_bound() {
    List<Capability> defaults = DEFAULTS.capabilities();
    int worst = 0;
    for (int bits = 0; bits < 1 << defaults.size(); bits++) {
      List<Capability> needed = new ArrayList<>();
      for (int i = 0; i < defaults.size(); i++) {
        if ((bits & 1 << i) != 0) {
          needed.add(defaults.get(i));
        }
      }
      Search search = new Search(DEFAULTS);
      int trials = run(search, needs(CapabilityMask.of(needed))).size();

      assertThat(search.result().orElseThrow().set()).isEqualTo(CapabilityMask.of(needed));
      worst = Math.max(worst, trials);
    }
    assertThat(worst).isEqualTo(36);
  }

  @Test
  void capabilities_that_stand_in_for_each_other_fall_back_to_greedy_elimination() {
    // Needs SETUID, and DAC_OVERRIDE or FOWNER: each of the two alone is removable, both together are not.
    Predicate<CapabilityMask> workload = set -> set.contains(Capability.SETUID)
        && (set.contains(Capability.DAC_OVERRIDE) || set.contains(Capability.FOWNER));
    Search search = new Search(DEFAULTS);

    List<TrialRequest> ran = run(search, workload);

    assertThat(ran).extracting(TrialRequest::phase).contains(Phase.CONFIRM, Phase.SEQUENTIAL)
        .endsWith(Phase.CONFIRM, Phase.VERIFY);
    CapabilityMask result = search.result().orElseThrow().set();
    assertThat(result).isEqualTo(CapabilityMask.of(Capability.SETUID, Capability.DAC_OVERRIDE));
    // 1-minimal: without any one of its capabilities the workload fails.
    result.capabilities().forEach(c -> assertThat(workload.test(result.minus(CapabilityMask.of(c)))).isFalse());
    assertThat(search.evidence()).containsOnlyKeys(Capability.SETUID, Capability.DAC_OVERRIDE);
    TrialRequest withoutDac = ran.get(search.evidence().get(Capability.DAC_OVERRIDE) - 1);
    assertThat(withoutDac.set()).isEqualTo(CapabilityMask.of(Capability.SETUID));
  }

  @Test
  void a_workload_that_passes_once_and_not_again_is_not_reproducible() {
    Search search = new Search(CapabilityMask.of(Capability.CHOWN));
    int[] runs = {0};

    // Passes with CHOWN the first time only: the confirmation and the second confirmation fail.
    List<TrialRequest> ran = run(search, set -> set.contains(Capability.CHOWN) && runs[0]++ == 0);

    assertThat(ran).extracting(TrialRequest::phase).containsExactly(Phase.BASELINE, Phase.GROUP, Phase.CONFIRM,
        Phase.CONFIRM);
    assertThat(search.status()).isEqualTo(Search.Status.NOT_REPRODUCIBLE);
    assertThat(search.result()).isEmpty();
  }

  @Test
  void an_empty_starting_set_is_tried_and_confirmed() {
    Search search = new Search(CapabilityMask.EMPTY);

    List<TrialRequest> ran = run(search, set -> true);

    assertThat(ran).extracting(TrialRequest::phase).containsExactly(Phase.BASELINE, Phase.CONFIRM);
    assertThat(search.result().orElseThrow().set()).isEqualTo(CapabilityMask.EMPTY);
  }

  @Test
  void the_best_set_so_far_is_the_smallest_that_passed() {
    Search search = new Search(DEFAULTS);
    List<TrialRequest> first = search.begin();
    search.record(first.get(0), true);
    List<TrialRequest> halves = search.record(first.get(1), false);

    search.record(halves.get(1), true);

    assertThat(search.best().orElseThrow()).isEqualTo(halves.get(1));
    assertThat(search.status()).isEqualTo(Search.Status.RUNNING);
  }
}

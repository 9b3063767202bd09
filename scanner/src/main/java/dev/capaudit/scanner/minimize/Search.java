package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The search for the smallest set a workload passes with: group testing against the starting set, then one round
 * that confirms the candidate and tries it without each of its capabilities.
 *
 * <ol>
 *   <li>The baseline (the starting set S) and S without every capability run at once.
 *   <li>A group G whose trial S − G fails holds a needed capability: it is split in halves, or, with
 *       {@value #SINGLES_AT} capabilities or fewer, tried one capability at a time (never more trials than halving
 *       and fewer rounds). A group whose trial passes is removable. Every such trial is derived from S alone, so all
 *       of them can run in parallel.
 *   <li>The candidate C, S minus every removable group, is confirmed in one more trial, and at the same time tried
 *       without each of its capabilities (C − {c}; a set already tried is not tried again). Each of those must fail:
 *       that trial is the evidence for c. One that passes shows c is needed only next to capabilities that are gone
 *       now (SETPCAP, to drop what no longer is there): C − {c} becomes the candidate, and the round repeats.
 *   <li>If the confirmation fails, capabilities stand in for each other (either of two suffices, so each alone was
 *       removable): the search falls back to greedy elimination from S, one trial at a time over the removable
 *       groups (halving a failing group as above), each derived from the set proven so far, and ends with the round
 *       of step 3. A confirmation failing there means the workload does not behave the same twice.
 * </ol>
 *
 * When needs are monotone (more capabilities never hurt) the first three steps take 2 trials + the splitting tree
 * (1 + 2 for each failing group larger than {@value #SINGLES_AT} + the size of each failing group of at most
 * {@value #SINGLES_AT}) + one for each kept capability not already tried without: 3 when nothing of Docker's 14
 * defaults is needed, 11 for a root chown's one, 13 for the capsh-then-setpriv entrypoint's three, and at most 36
 * (13 of the 14 needed; {@code SearchTest} checks every subset). The fallback adds at most 2m trials for m capabilities in removable groups.
 */
final class Search {
  /** A failing group this small is tried one capability at a time. */
  static final int SINGLES_AT = 4;

  /** Where the search stands. */
  enum Status { RUNNING, MINIMAL, BASELINE_FAILED, NOT_REPRODUCIBLE }

  private final CapabilityMask start;
  private final List<Capability> order;
  private final Map<Integer, List<Capability>> groups = new HashMap<>();
  private final List<List<Capability>> removable = new ArrayList<>();
  private final Map<Capability, Integer> evidence = new EnumMap<>(Capability.class);
  private final Map<CapabilityMask, TrialRequest> decided = new HashMap<>();
  private final Map<Integer, Boolean> passed = new HashMap<>();
  private final Deque<List<Capability>> sequential = new ArrayDeque<>();
  private List<Capability> sequentialGroup = List.of();
  private final Round round = new Round();
  private int asked;
  private boolean baselinePassed;
  private boolean confirmAsked;
  private CapabilityMask proven;
  private Status status = Status.RUNNING;
  private Optional<TrialRequest> result = Optional.empty();
  private Optional<TrialRequest> best = Optional.empty();

  Search(CapabilityMask start) {
    this.start = start;
    this.order = SearchOrder.of(start);
    this.proven = start;
  }

  /** The first trials: the baseline and, unless the starting set is empty, the starting set without everything. */
  List<TrialRequest> begin() {
    List<TrialRequest> first = new ArrayList<>(List.of(ask(Phase.BASELINE, start, CapabilityMask.EMPTY)));
    if (!order.isEmpty()) {
      first.add(group(order));
    }
    return first;
  }

  /** Takes a trial's verdict and returns the trials that follow from it. */
  List<TrialRequest> record(TrialRequest trial, boolean pass) {
    if (status != Status.RUNNING) {
      return List.of();
    }
    decided.putIfAbsent(trial.set(), trial);
    passed.put(trial.number(), pass);
    if (pass && (best.isEmpty() || trial.set().size() < best.get().set().size())) {
      best = Optional.of(trial);
    }
    return switch (trial.phase()) {
      case BASELINE -> baseline(pass);
      case GROUP -> grouped(trial, pass);
      case CONFIRM, VERIFY -> rounded(trial, pass);
      case SEQUENTIAL -> sequential(trial, pass);
    };
  }

  Status status() {
    return status;
  }

  /** The confirmation of the minimal set, once the status is {@link Status#MINIMAL}. */
  Optional<TrialRequest> result() {
    return result;
  }

  /** The smallest set a trial has passed with so far: what a search cut short has proven. */
  Optional<TrialRequest> best() {
    return best;
  }

  /**
   * For each capability kept, the trial without it that failed: the minimal set without it once the search is
   * done; before, the starting set without it.
   */
  Map<Capability, Integer> evidence() {
    return Map.copyOf(evidence);
  }

  private List<TrialRequest> baseline(boolean pass) {
    if (!pass) {
      status = Status.BASELINE_FAILED;
      return List.of();
    }
    baselinePassed = true;
    return confirmWhenDone();
  }

  private List<TrialRequest> grouped(TrialRequest trial, boolean pass) {
    List<Capability> group = groups.remove(trial.number());
    List<TrialRequest> next = new ArrayList<>();
    if (pass) {
      removable.add(group);
    } else if (group.size() == 1) {
      evidence.put(group.get(0), trial.number());
    } else {
      split(group).forEach(part -> next.add(group(part)));
    }
    next.addAll(confirmWhenDone());
    return next;
  }

  private List<TrialRequest> confirmWhenDone() {
    if (!baselinePassed || !groups.isEmpty() || confirmAsked) {
      return List.of();
    }
    confirmAsked = true;
    CapabilityMask candidate = start;
    for (List<Capability> group : removable) {
      candidate = candidate.minus(CapabilityMask.of(group));
    }
    return round.begin(candidate, true);
  }

  private List<TrialRequest> rounded(TrialRequest trial, boolean pass) {
    round.take(trial, pass);
    return round.complete() ? round.conclude() : List.of();
  }

  private List<TrialRequest> fallBack() {
    removable.sort(Comparator.comparingInt(group -> order.indexOf(group.get(0))));
    sequential.addAll(removable);
    return nextSequential();
  }

  private List<TrialRequest> sequential(TrialRequest trial, boolean pass) {
    eliminate(trial.set(), pass);
    return nextSequential();
  }

  /** A sequential verdict: the set is proven, or the group is split and its parts tried next. */
  private void eliminate(CapabilityMask set, boolean pass) {
    if (pass) {
      proven = set;
    } else if (sequentialGroup.size() > 1) {
      List<List<Capability>> parts = split(sequentialGroup);
      for (int i = parts.size() - 1; i >= 0; i--) {
        sequential.addFirst(parts.get(i));
      }
    }
  }

  private List<TrialRequest> nextSequential() {
    while (!sequential.isEmpty()) {
      sequentialGroup = sequential.pollFirst();
      CapabilityMask group = CapabilityMask.of(sequentialGroup);
      CapabilityMask set = proven.minus(group);
      Optional<TrialRequest> known = Optional.ofNullable(decided.get(set));
      if (known.isEmpty()) {
        return List.of(ask(Phase.SEQUENTIAL, set, group));
      }
      // Already tried: its verdict decides without another trial.
      eliminate(set, passed.get(known.get().number()));
    }
    return round.begin(proven, false);
  }

  /** The round that confirms a candidate and tries it without each of its capabilities. */
  private final class Round {
    private CapabilityMask candidate;
    private boolean mayFallBack;
    private TrialRequest confirm;
    private Boolean confirmed;
    private final Map<Integer, Capability> pending = new HashMap<>();
    private final Map<Capability, TrialRequest> without = new EnumMap<>(Capability.class);

    List<TrialRequest> begin(CapabilityMask set, boolean fallBackOnFailure) {
      candidate = set;
      mayFallBack = fallBackOnFailure;
      confirmed = null;
      pending.clear();
      without.clear();
      confirm = ask(Phase.CONFIRM, set, start.minus(set));
      List<TrialRequest> trials = new ArrayList<>(List.of(confirm));
      for (Capability capability : SearchOrder.of(set)) {
        CapabilityMask less = set.minus(CapabilityMask.of(capability));
        TrialRequest known = decided.get(less);
        if (known != null) {
          without.put(capability, known);
        } else {
          TrialRequest verify = ask(Phase.VERIFY, less, CapabilityMask.of(capability));
          pending.put(verify.number(), capability);
          trials.add(verify);
        }
      }
      return trials;
    }

    void take(TrialRequest trial, boolean pass) {
      if (trial.number() == confirm.number()) {
        confirmed = pass;
      } else {
        without.put(pending.remove(trial.number()), trial);
      }
    }

    boolean complete() {
      return confirmed != null && pending.isEmpty();
    }

    List<TrialRequest> conclude() {
      if (!confirmed) {
        if (mayFallBack) {
          return fallBack();
        }
        status = Status.NOT_REPRODUCIBLE;
        return List.of();
      }
      for (Capability capability : SearchOrder.of(candidate)) {
        TrialRequest less = without.get(capability);
        if (passed.get(less.number())) {
          return begin(less.set(), false);
        }
      }
      without.forEach((capability, trial) -> evidence.put(capability, trial.number()));
      evidence.keySet().retainAll(candidate.capabilities());
      status = Status.MINIMAL;
      result = Optional.of(confirm);
      return List.of();
    }
  }

  private TrialRequest group(List<Capability> group) {
    CapabilityMask removed = CapabilityMask.of(group);
    TrialRequest request = ask(Phase.GROUP, start.minus(removed), removed);
    groups.put(request.number(), List.copyOf(group));
    return request;
  }

  /** Halves (the smaller first), or single capabilities for a group of at most {@link #SINGLES_AT}. */
  private static List<List<Capability>> split(List<Capability> group) {
    if (group.size() <= SINGLES_AT) {
      return group.stream().map(List::of).toList();
    }
    int half = group.size() / 2;
    return List.of(group.subList(0, half), group.subList(half, group.size()));
  }

  private TrialRequest ask(Phase phase, CapabilityMask set, CapabilityMask removed) {
    return new TrialRequest(++asked, phase, set, removed);
  }
}

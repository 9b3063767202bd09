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
 * The search for the smallest set a workload passes with: group testing against the starting set, then one
 * confirmation of the whole candidate.
 *
 * <ol>
 *   <li>The baseline (the starting set S) and S without every capability run at once.
 *   <li>A group G whose trial S − G fails holds a needed capability: it is split in halves, or, with
 *       {@value #SINGLES_AT} capabilities or fewer, tried one capability at a time (never more trials than halving
 *       and fewer rounds). A group whose trial passes is removable. Every such trial is derived from S alone, so all
 *       of them can run in parallel; a capability kept has as evidence the trial S − {c} that failed.
 *   <li>The candidate S minus every removable group is confirmed in one more trial.
 *   <li>If that confirmation fails, capabilities stand in for each other (either of two suffices, so each alone was
 *       removable): the search falls back to greedy elimination from S, one trial at a time, over the removable
 *       groups (halving a failing group as above), each trial derived from the set proven so far, and confirms the
 *       set it ends with once more. A confirmation failing again means the workload does not behave the same twice.
 * </ol>
 *
 * With needed capabilities D among n, the first three steps take at most 2 + the trials of the splitting tree:
 * 1 + 2 per failing group larger than {@value #SINGLES_AT} + the size of each failing group of at most
 * {@value #SINGLES_AT}; for Docker's 14 defaults that is 3 trials when nothing is needed and 23 when all are
 * ({@code SearchTest} checks the bound over every subset). The fallback adds at most 2m trials for m capabilities in
 * removable groups.
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
  private final Deque<List<Capability>> sequential = new ArrayDeque<>();
  private List<Capability> sequentialGroup = List.of();
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
  List<TrialRequest> record(TrialRequest trial, boolean passed) {
    if (status != Status.RUNNING) {
      return List.of();
    }
    if (passed && (best.isEmpty() || trial.set().size() < best.get().set().size())) {
      best = Optional.of(trial);
    }
    return switch (trial.phase()) {
      case BASELINE -> baseline(passed);
      case GROUP -> grouped(trial, passed);
      case CONFIRM -> confirmed(trial, passed);
      case SEQUENTIAL -> sequential(trial, passed);
      case RECONFIRM -> reconfirmed(trial, passed);
    };
  }

  Status status() {
    return status;
  }

  /** The confirmed minimal set's trial, once the status is {@link Status#MINIMAL}. */
  Optional<TrialRequest> result() {
    return result;
  }

  /** The smallest set a trial has passed with so far: what a search cut short has proven. */
  Optional<TrialRequest> best() {
    return best;
  }

  /** For each capability found needed, the number of the trial without it that failed. */
  Map<Capability, Integer> evidence() {
    return Map.copyOf(evidence);
  }

  private List<TrialRequest> baseline(boolean passed) {
    if (!passed) {
      status = Status.BASELINE_FAILED;
      return List.of();
    }
    baselinePassed = true;
    return confirmWhenDone();
  }

  private List<TrialRequest> grouped(TrialRequest trial, boolean passed) {
    List<Capability> group = groups.remove(trial.number());
    List<TrialRequest> next = new ArrayList<>();
    if (passed) {
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
    return List.of(ask(Phase.CONFIRM, candidate, start.minus(candidate)));
  }

  private List<TrialRequest> confirmed(TrialRequest trial, boolean passed) {
    if (passed) {
      return finish(trial);
    }
    removable.sort(Comparator.comparingInt(group -> order.indexOf(group.get(0))));
    sequential.addAll(removable);
    return nextSequential();
  }

  private List<TrialRequest> sequential(TrialRequest trial, boolean passed) {
    if (passed) {
      proven = trial.set();
    } else if (sequentialGroup.size() == 1) {
      evidence.put(sequentialGroup.get(0), trial.number());
    } else {
      List<List<Capability>> parts = split(sequentialGroup);
      for (int i = parts.size() - 1; i >= 0; i--) {
        sequential.addFirst(parts.get(i));
      }
    }
    return nextSequential();
  }

  private List<TrialRequest> nextSequential() {
    if (sequential.isEmpty()) {
      return List.of(ask(Phase.RECONFIRM, proven, start.minus(proven)));
    }
    sequentialGroup = sequential.pollFirst();
    CapabilityMask group = CapabilityMask.of(sequentialGroup);
    return List.of(ask(Phase.SEQUENTIAL, proven.minus(group), group));
  }

  private List<TrialRequest> reconfirmed(TrialRequest trial, boolean passed) {
    if (passed) {
      return finish(trial);
    }
    status = Status.NOT_REPRODUCIBLE;
    return List.of();
  }

  private List<TrialRequest> finish(TrialRequest trial) {
    status = Status.MINIMAL;
    result = Optional.of(trial);
    return List.of();
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

package dev.capaudit.cli;

import dev.capaudit.rules.policy.Policy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A policy read while the engine is being reached: on a short run both take a tenth of a second or more, and they do
 * not depend on each other. Its problem, if any, is still the run's first: {@link #get()} is called before anything
 * the engine answered is used.
 */
final class PolicyInBackground {
  private final CompletableFuture<Policy> policy;

  private PolicyInBackground(CompletableFuture<Policy> policy) {
    this.policy = policy;
  }

  static PolicyInBackground load(PolicyOption option) {
    return new PolicyInBackground(CompletableFuture.supplyAsync(() -> {
      try {
        return option.load();
      } catch (CliProblem e) {
        throw new CompletionException(e);
      }
    }));
  }

  /** The policy, or the problem loading it raised (an invalid policy is a usage error, exit 2). */
  Policy get() throws CliProblem {
    try {
      return policy.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CliProblem problem) {
        throw problem;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}

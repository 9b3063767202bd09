package dev.capaudit.scanner.enforce;

import java.util.function.Consumer;

/**
 * What a run that holds its lock works with.
 *
 * @param stamp when and which run, for the names it gives: {@code 20261201T074347Z-3f2a1c}
 */
record RunContext(Operations ops, RunGuard guard, Verifier verifier, EnforceSettings settings, Steps steps,
    String stamp, Consumer<String> log) {

  RunRecord record() {
    return guard.record().orElseThrow();
  }

  Interruption interruption() {
    return guard.interruption();
  }
}

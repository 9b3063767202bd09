package dev.capaudit.scanner.enforce;

import dev.capaudit.rules.model.TargetSnapshot;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Decides whether a started replacement is good enough to keep. */
@FunctionalInterface
interface Verifier {
  /**
   * @param audit the replacement's audit, when it got that far
   * @param failure why the replacement is not kept; empty when it verified
   */
  record Verification(Optional<TargetSnapshot> audit, Optional<String> failure) {}

  Verification verify(String containerId, BooleanSupplier cancelled) throws IOException;
}

package dev.capaudit.rules.archfixture;

import org.assertj.core.api.Assertions;

/**
 * Not production code: a class inside {@code dev.capaudit.rules..} that depends on a library, so that
 * {@code ArchitectureTest} can prove its rule catches exactly that. Lives in the test tree, which the real check does
 * not import.
 */
final class LeaksATestLibrary {
  private LeaksATestLibrary() {}

  static void use() {
    Assertions.fail("never called");
  }
}

package dev.capaudit.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from a module's working directory, so tests can read samples/. */
final class RepoPaths {
  private RepoPaths() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no samples/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}

package dev.capaudit.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's samples/ directory by walking up from the working directory, and reads files in it. */
public final class TestFiles {
  private TestFiles() {}

  /** The directory that holds samples/. */
  public static Path root() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("samples"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no samples/ directory above " + start);
  }

  /** A path under samples/, e.g. {@code captured/proc/agent-fixed/pid1.status}. */
  public static Path sample(String relative) {
    return root().resolve("samples").resolve(relative);
  }

  /** The text of a file under samples/. */
  public static String read(String relative) {
    try {
      return Files.readString(sample(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

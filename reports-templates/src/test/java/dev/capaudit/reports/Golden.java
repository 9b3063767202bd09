package dev.capaudit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file comparison for report writers. A missing golden file is written and the test fails, so a new golden
 * is always reviewed by a person before it is committed; {@code -Dcapaudit.updateGolden=true} rewrites them all.
 */
public final class Golden {
  private Golden() {}

  public static void assertMatches(String resource, String actual) throws IOException {
    Path file = SampleReports.repoRoot().resolve("reports-templates/src/test/resources/" + resource);
    if (!Files.exists(file) || Boolean.getBoolean("capaudit.updateGolden")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      assertThat(Boolean.getBoolean("capaudit.updateGolden")).as("golden file %s was (re)written; review it", file)
          .isTrue();
      return;
    }
    assertThat(actual).as("output differs from %s (rerun with -Dcapaudit.updateGolden=true and review the diff)",
        file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}

package dev.capaudit.reports;

import java.util.List;

/**
 * A file from the repository under audit that says how a target is run (a Dockerfile, a compose file, a Kubernetes
 * manifest), so code-scanning results can point at the line that grants what a finding is about.
 *
 * @param uri the path as the repository names it, with {@code /} separators ({@code deploy/compose.yaml})
 */
public record SourceFile(String uri, List<String> lines) {
  public SourceFile {
    lines = List.copyOf(lines);
  }

  public static SourceFile of(String uri, String text) {
    return new SourceFile(uri, text.lines().toList());
  }
}

package dev.capaudit.scanner.docker;

import java.util.Locale;
import java.util.Optional;

/**
 * What the engine says of itself ({@code GET /info}): its version decides what {@code ALL} and privileged expand
 * to, its root directory where its own container state lives.
 *
 * @param serverVersion e.g. {@code 20.10.24+dfsg1}; empty when the engine did not say
 * @param dockerRootDir e.g. {@code /var/lib/docker}
 * @param name the engine host's name
 */
public record EngineInfo(String serverVersion, String dockerRootDir, String name, String operatingSystem) {
  public static final EngineInfo UNKNOWN = new EngineInfo("", "", "", "");

  /** The major version number (20 for 20.10.24), when the version is a number at all. */
  public Optional<Integer> majorVersion() {
    int end = 0;
    while (end < serverVersion.length() && Character.isDigit(serverVersion.charAt(end))) {
      end++;
    }
    if (end == 0 || end > 4) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(serverVersion.substring(0, end)));
  }

  /**
   * Whether this is Podman's Docker-compatible API rather than Docker: Podman keeps its containers in
   * containers/storage, and says so as its root directory.
   */
  public boolean isPodman() {
    return dockerRootDir.endsWith("/containers/storage") || operatingSystem.toLowerCase(Locale.ROOT)
        .contains("podman");
  }
}

package dev.capaudit.rules.model;

import dev.capaudit.rules.capability.CapabilityMask;
import java.util.List;
import java.util.Optional;

/**
 * What the image gate learnt beyond a live scan: how the throwaway container was started, what its entrypoint
 * printed, how it ended, and which files in the image can raise privilege.
 *
 * @param profile the runtime profile it ran under ({@code permissive}, {@code none}, ...)
 * @param startingSet the bounding set that profile gave the container
 * @param log the entrypoint's stdout and stderr, capped (container-supplied text)
 * @param exitCode the entrypoint's exit code when it exited, empty while it ran
 */
public record ImageFacts(String profile, CapabilityMask startingSet, String log, boolean logTruncated,
    Optional<Long> exitCode, List<PrivilegedFile> privilegedFiles) {
  public ImageFacts {
    privilegedFiles = List.copyOf(privilegedFiles);
  }
}

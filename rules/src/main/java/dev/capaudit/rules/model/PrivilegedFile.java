package dev.capaudit.rules.model;

import dev.capaudit.rules.capability.CapabilityMask;

/**
 * A file in a container's image that raises privilege when executed: setuid or setgid, or carrying file
 * capabilities ({@code security.capability}).
 *
 * @param path the path inside the container
 * @param fileCapabilities the file's permitted capabilities (empty when it has none)
 */
public record PrivilegedFile(String path, boolean setuid, boolean setgid, long ownerUid,
    CapabilityMask fileCapabilities) {

  /** What executing it can give a process, bounded by the process's bounding set. */
  public CapabilityMask raises(CapabilityMask boundingSet) {
    // A setuid-root binary makes the process root: its permitted set becomes the whole bounding set.
    CapabilityMask gained = setuid && ownerUid == 0 ? boundingSet : fileCapabilities;
    return gained.intersect(boundingSet);
  }
}

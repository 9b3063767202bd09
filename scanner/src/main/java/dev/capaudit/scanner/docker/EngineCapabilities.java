package dev.capaudit.scanner.docker;

import dev.capaudit.rules.capability.CapabilityMask;

/**
 * What {@code --cap-add ALL} and {@code --privileged} expand to on an engine, for when the runtime's own spec cannot
 * be read (a remote engine) and the bounding set must be computed from the settings:
 * <ul>
 *   <li>Docker 20.10 and older: bits 0 to 37 ({@code 0x3fffffffff}) whatever the kernel knows, because moby clamped
 *       its list at CAP_AUDIT_READ until v23 (moby#41563; 19.03's capability library ended there too);
 *   <li>Docker 23 and newer: the engine's own effective set, which on an unconfined host is every capability the
 *       kernel knows.
 * </ul>
 */
public final class EngineCapabilities {
  /** CAP_CHOWN to CAP_AUDIT_READ. */
  static final CapabilityMask UP_TO_AUDIT_READ = new CapabilityMask((1L << 38) - 1);

  private EngineCapabilities() {}

  public static CapabilityMask all(EngineInfo engine, CapabilityMask kernel) {
    boolean clamped = engine.majorVersion().map(major -> major <= 20).orElse(false) && !engine.isPodman();
    return clamped ? kernel.intersect(UP_TO_AUDIT_READ) : kernel;
  }
}

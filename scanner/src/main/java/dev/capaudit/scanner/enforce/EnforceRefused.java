package dev.capaudit.scanner.enforce;

/** Why enforce will not start on a container; nothing was changed. */
public final class EnforceRefused extends Exception {
  private static final long serialVersionUID = 1L;

  /** What stands in the way. */
  public enum Reason {
    /** Another enforce run holds the container's lock. */
    LOCKED,
    /** The container removes itself when stopped and --allow-autoremove was not given. */
    AUTO_REMOVE,
    /** The container is a backup, replacement or lock of an enforce run. */
    ARTIFACT,
    /** The container under the name changed while the lock was being taken. */
    CHANGED
  }

  private final Reason reason;

  EnforceRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package dev.capaudit.scanner.enforce;

/**
 * The names an enforce run gives the containers it makes or moves, all derived from the enforced container's name so
 * that {@code docker ps} shows what belongs to what.
 */
final class RunNames {
  private static final String LOCK = ".capaudit-lock";
  private static final String NEW = ".capaudit-new-";
  private static final String BACKUP = ".capaudit-backup-";
  private static final String VERIFIED = ".capaudit-verified-";
  private static final String FAILED = ".capaudit-failed-";

  private RunNames() {}

  /** The never-started marker container whose name is the lock: the engine lets only one container have it. */
  static String lock(String target) {
    return target + LOCK;
  }

  /** A replacement before it takes the name. */
  static String fresh(String target, String stamp) {
    return target + NEW + stamp;
  }

  static String backup(String target, String stamp) {
    return target + BACKUP + stamp;
  }

  /** The verified replacement of an AutoRemove container while its AutoRemove twin takes over. */
  static String verified(String target, String stamp) {
    return target + VERIFIED + stamp;
  }

  /** Where a rollback moves a replacement so the original can have its name back. */
  static String failed(String target, String run) {
    return target + FAILED + run;
  }

  /** A name enforce gave one of its own containers: enforcing that container would enforce a backup or a lock. */
  static boolean isArtifact(String name) {
    return name.endsWith(LOCK) || name.contains(NEW) || name.contains(BACKUP) || name.contains(VERIFIED)
        || name.contains(FAILED);
  }
}

package dev.capaudit.scanner.minimize;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a trial of a container gets in place of the container's volumes and binds: never a writable share. */
public enum VolumeMode {
  /** A fresh anonymous volume at each path (seeded from the image), removed with the trial. */
  EMPTY,
  /** The original's volumes and binds, read-only, through VolumesFrom. */
  READ_ONLY;

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<VolumeMode> fromId(String id) {
    return Arrays.stream(values()).filter(m -> m.id().equalsIgnoreCase(id.trim())).findFirst();
  }
}

package dev.capaudit.scanner.io;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps that a long-running watch keeps in memory: each drops its eldest entry beyond its limit. */
public final class BoundedMaps {
  private BoundedMaps() {}

  /** An insertion-ordered map that drops its eldest entry beyond {@code limit} (not thread-safe). */
  public static <K, V> Map<K, V> eldestDropped(int limit) {
    return new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > limit;
      }
    };
  }
}

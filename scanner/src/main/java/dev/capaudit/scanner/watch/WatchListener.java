package dev.capaudit.scanner.watch;

/** Hears every change the watch reports, on the loop's thread: it must not block for long. */
@FunctionalInterface
public interface WatchListener {
  void changed(WatchChange change);
}

package dev.capaudit.scanner.watch;

/** Hears every change the watch reports, on the watch's own thread: it must not block for long. */
@FunctionalInterface
public interface WatchListener {
  void changed(WatchChange change);

  /** Tells the listener; a failure of the output (a closed pipe) must not stop the audits, so it is not thrown. */
  static void tell(WatchListener listener, WatchChange change) {
    try {
      listener.changed(change);
    } catch (RuntimeException e) {
      // The next change tries the output again.
    }
  }
}

package dev.capaudit.scanner.watch;

/** A running watch, of an engine's events or of the runtimes' state: run until stopped, counted meanwhile. */
public interface Watcher {
  /** Watches on the calling thread until {@link #stop} or an interrupt. */
  void run();

  /** Ends {@link #run} soon; any thread. */
  void stop();

  /** The counts the metrics serve; any thread. */
  WatchTotals totals();
}

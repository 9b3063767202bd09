package dev.capaudit.reports;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes several formats of one report at once, each on its own thread: the writers share nothing but the
 * (immutable) report, and a fleet's five reports are seconds of work on one core. One format that cannot be written
 * does not stop the others; every outcome is returned.
 */
public final class ReportBatch {
  /** Where one format goes: opened by the writing thread, closed after writing when {@code close} is set. */
  public interface Destination {
    Writer open() throws IOException;

    /** Whether the writer is closed when done (a file) or only flushed (standard output). */
    default boolean close() {
      return true;
    }
  }

  /**
   * How one format went: the error when it could not be written, and the writing thread's wall and CPU time.
   */
  public record Outcome(Optional<IOException> failure, long wallNanos, long cpuNanos) {}

  /**
   * The formats that take longest to write go first, so the batch ends soon after its longest writer: HTML lays
   * out every target, JSON and SARIF serialize the most text. Only an order; each still gets its own thread.
   */
  private static final List<ReportFormat> LONGEST_FIRST = List.of(ReportFormat.HTML, ReportFormat.JSON,
      ReportFormat.SARIF, ReportFormat.MARKDOWN, ReportFormat.JUNIT);

  private ReportBatch() {}

  /** Writes every format to its destination and returns each outcome, in registry order. */
  public static Map<ReportFormat, Outcome> write(AuditReport report, Map<ReportFormat, Destination> destinations) {
    List<ReportFormat> formats = new ArrayList<>(destinations.keySet());
    formats.sort(Comparator.comparingInt(LONGEST_FIRST::indexOf));
    int threads = Math.max(1, Math.min(formats.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "capaudit-report-writer");
      thread.setDaemon(true);
      return thread;
    });
    try {
      Map<ReportFormat, Future<Outcome>> running = new EnumMap<>(ReportFormat.class);
      for (ReportFormat format : formats) {
        running.put(format, pool.submit(() -> writeOne(report, format, destinations.get(format))));
      }
      Map<ReportFormat, Outcome> outcomes = new EnumMap<>(ReportFormat.class);
      for (Map.Entry<ReportFormat, Future<Outcome>> entry : running.entrySet()) {
        outcomes.put(entry.getKey(), outcome(entry.getValue()));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Outcome writeOne(AuditReport report, ReportFormat format, Destination destination) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wall = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime();
    Optional<IOException> failure = Optional.empty();
    try {
      Writer writer = destination.open();
      try {
        format.writer().write(report, writer);
        writer.flush();
      } finally {
        if (destination.close()) {
          writer.close();
        }
      }
    } catch (IOException e) {
      failure = Optional.of(e);
    }
    return new Outcome(failure, System.nanoTime() - wall, threads.getCurrentThreadCpuTime() - cpu);
  }

  private static Outcome outcome(Future<Outcome> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(Optional.of(new IOException("interrupted")), 0, 0);
    } catch (ExecutionException e) {
      // A writer's bug (an unchecked exception) is not a file problem: it surfaces as what it is.
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}

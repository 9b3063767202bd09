package dev.capaudit.reports;

import dev.capaudit.rules.engine.Auditor;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The size and time budget of issue #11 for a {@link BenchFleet} of N containers: the fleet is judged, then every
 * report is written once to a file, in this same JVM, the way {@code AuditRun} writes them after a scan (a buffered
 * UTF-8 writer per file). Each writer's wall and CPU time is printed, then the wall time of writing them all, with
 * the JIT and GC time spent meanwhile. The JVM is cold: nothing ran before the audit. Run by
 * bench/reports-size-time.sh in a -Xmx256m JVM.
 */
public final class ReportsBenchmark {
  private ReportsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int containers = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    Files.createDirectories(dir);
    long start = System.nanoTime();
    AuditReport report = SampleReports.report(new Auditor(SampleReports.policy("cis-docker"))
        .audit(BenchFleet.of(containers)), Optional.empty());
    long judged = System.nanoTime();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "N=%d: %d containers x 5 processes, %d findings,"
        + " judged in %d ms%n", containers, containers, report.result().findingCount(), millis(judged - start)));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    long gc = gcMillis();
    long writing = System.nanoTime();
    for (ReportFormat format : ReportFormat.values()) {
      Path file = dir.resolve("report." + format.id());
      long wall = System.nanoTime();
      long cpu = threads.getCurrentThreadCpuTime();
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        format.writer().write(report, writer);
      }
      out.append(String.format(Locale.ROOT, "  %-8s %6.2f MB %5d ms wall %5d ms cpu%n", format.id(),
          Files.size(file) / 1e6, millis(System.nanoTime() - wall), millis(threads.getCurrentThreadCpuTime() - cpu)));
    }
    out.append(String.format(Locale.ROOT, "  all reports written in %d ms (JIT %d ms, GC %d ms meanwhile); max heap"
        + " %d MB%n", millis(System.nanoTime() - writing),
        ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit, gcMillis() - gc,
        Runtime.getRuntime().maxMemory() / (1024 * 1024)));
    System.out.print(out);
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
  }
}

package dev.capaudit.reports;

import dev.capaudit.rules.engine.Auditor;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The size and time budget of issue #11 for a {@link BenchFleet} of N containers: the fleet is judged, then every
 * report is written once to a file, in this same JVM, the way {@code AuditRun} writes them after a scan
 * ({@link ReportBatch}: a buffered UTF-8 writer per file, the formats at once on the available cores). Each writer's
 * wall and CPU time is printed, then the wall time of writing them all, the writers' CPU time, and the JIT and GC
 * time spent meanwhile. The JVM is cold: nothing ran before the audit. Run by bench/reports-size-time.sh in a
 * -Xmx256m JVM.
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
    Map<ReportFormat, ReportBatch.Destination> files = new EnumMap<>(ReportFormat.class);
    for (ReportFormat format : ReportFormat.values()) {
      files.put(format, () -> Files.newBufferedWriter(dir.resolve("report." + format.id()), StandardCharsets.UTF_8));
    }
    long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    long gc = gcMillis();
    long writing = System.nanoTime();
    Map<ReportFormat, ReportBatch.Outcome> outcomes = ReportBatch.write(report, files);
    long wall = System.nanoTime() - writing;
    long cpu = 0;
    for (Map.Entry<ReportFormat, ReportBatch.Outcome> e : outcomes.entrySet()) {
      if (e.getValue().failure().isPresent()) {
        throw e.getValue().failure().get();
      }
      cpu += e.getValue().cpuNanos();
      out.append(String.format(Locale.ROOT, "  %-8s %6.2f MB %5d ms wall %5d ms cpu%n", e.getKey().id(),
          Files.size(dir.resolve("report." + e.getKey().id())) / 1e6, millis(e.getValue().wallNanos()),
          millis(e.getValue().cpuNanos())));
    }
    out.append(String.format(Locale.ROOT, "  all reports written in %d ms (%d threads; writers' CPU %d ms, JIT %d ms,"
        + " GC %d ms meanwhile); max heap %d MB%n", millis(wall), Math.min(outcomes.size(),
        Runtime.getRuntime().availableProcessors()), millis(cpu),
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

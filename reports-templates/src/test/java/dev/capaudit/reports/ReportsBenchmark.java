package dev.capaudit.reports;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The size and time budget of issue #11: a generated fleet of N containers of 5 processes (Docker's defaults as
 * root, some with SYS_ADMIN and SYS_PTRACE added, some stepped down to a non-root agent), every report written once.
 * Run by bench/reports-size-time.sh in a -Xmx256m JVM.
 */
public final class ReportsBenchmark {
  private ReportsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int containers = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    Files.createDirectories(dir);
    List<TargetSnapshot> fleet = new ArrayList<>();
    String[] masks = {"0xa80425fb", "0xa82c25fb", "0x200100"};
    for (int c = 0; c < containers; c++) {
      CapabilityMask mask = CapabilityMask.parse(masks[c % 3]);
      int uid = c % 3 == 2 ? 1000 : 0;
      List<ProcessSnapshot> processes = new ArrayList<>();
      for (int p = 1; p <= 5; p++) {
        CapabilityMask held = uid == 0 ? mask : CapabilityMask.EMPTY;
        ProcStatus status = new ProcStatus(20000 + c * 10 + p, List.of(20000 + c * 10 + p, p), p == 1 ? 1
            : 20000 + c * 10 + 1, p == 1 ? "entrypoint" : "worker-" + (p % 2), uid, uid, uid, uid,
            CapabilitySets.of(CapabilityMask.EMPTY, held, held, mask, CapabilityMask.EMPTY), Optional.of(false),
            Optional.empty());
        processes.add(ProcessSnapshot.of(status, ObservationSource.HOST_PROC));
      }
      fleet.add(new TargetSnapshot(TargetKind.CONTAINER, String.format("%064x", c), "svc-" + c, "registry/app:"
          + (c % 7), Map.of("team", "t" + (c % 5)), Optional.empty(), processes, List.of(), List.of(), List.of())
          .withOrigin(new TargetOrigin("unix:///var/run/docker.sock", "docker", "", "node-" + (c % 4),
              Optional.empty())));
    }
    long start = System.nanoTime();
    AuditReport report = SampleReports.report(new Auditor(SampleReports.policy("cis-docker")).audit(fleet),
        Optional.empty());
    long judged = System.nanoTime();
    StringBuilder out = new StringBuilder();
    out.append(String.format("%d containers x 5 processes, %d findings, judged in %d ms%n", containers,
        report.result().findingCount(), (judged - start) / 1_000_000));
    for (ReportFormat format : ReportFormat.values()) {
      Path file = dir.resolve("report." + format.id());
      long before = System.nanoTime();
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        format.writer().write(report, writer);
      }
      out.append(String.format("%-8s %8.2f MB %6d ms%n", format.id(), Files.size(file) / 1e6,
          (System.nanoTime() - before) / 1_000_000));
    }
    out.append(String.format("all reports written in %d ms (one cold JVM: class loading and JIT included); max heap %d MB%n", (System.nanoTime() - judged)
        / 1_000_000, Runtime.getRuntime().maxMemory() / (1024 * 1024)));
    System.out.print(out);
  }
}

package dev.capaudit.scanner.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.model.TargetSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Snapshot and status texts for tests, and the files that hold them. */
final class SnapshotTexts {
  static final String HEADER = "apiVersion: capaudit/v1\nkind: Snapshot\n";

  private SnapshotTexts() {}

  /** A whole status as the kernel prints it (CapAmb left out, as before Linux 4.3), with the given values. */
  static String status(int pid, int nsPid, int uid, String bounding, String effective) {
    return "Name:\tagent\nPid:\t" + pid + "\nPPid:\t1\nNSpid:\t" + pid + "\t" + nsPid + "\nUid:\t" + uid + "\t" + uid
        + "\t" + uid + "\t" + uid + "\nGid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
        + "\nCapInh:\t0000000000000000\nCapPrm:\t" + effective + "\nCapEff:\t" + effective + "\nCapBnd:\t" + bounding
        + "\n";
  }

  /** {@link #status} as the block of a {@code status: |} item at list depth 3 (10 spaces). */
  static String inline(int pid, int nsPid, int uid, String bounding, String effective) {
    return indent(status(pid, nsPid, uid, bounding, effective), 10);
  }

  static String indent(String text, int spaces) {
    return text.lines().map(line -> " ".repeat(spaces) + line + "\n").collect(Collectors.joining());
  }

  static Path write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  /** Loads a snapshot of one target from {@code dir/snapshot.yaml}. */
  static TargetSnapshot single(Path dir, String yaml) throws IOException, SnapshotFileException {
    List<TargetSnapshot> targets = SnapshotFiles.load(write(dir, "snapshot.yaml", yaml));
    assertThat(targets).hasSize(1);
    return targets.get(0);
  }
}

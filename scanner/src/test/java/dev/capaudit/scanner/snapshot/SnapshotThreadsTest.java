package dev.capaudit.scanner.snapshot;

import static dev.capaudit.scanner.snapshot.SnapshotTexts.HEADER;
import static dev.capaudit.scanner.snapshot.SnapshotTexts.indent;
import static dev.capaudit.scanner.snapshot.SnapshotTexts.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotThreadsTest {
  private static final String EMPTY = "0000000000000000";
  private static final String ROOT_ONLY = "00000000000001e9";

  @TempDir
  Path dir;

  private TargetSnapshot single(String threads) throws IOException, SnapshotFileException {
    Files.writeString(dir.resolve("pid1.status"), status(5000, 1, 1000, EMPTY, EMPTY));
    Path file = Files.writeString(dir.resolve("snapshot.yaml"), HEADER + "targets:\n  - name: threads\n"
        + "    processes:\n      - file: pid1.status\n        threads:\n" + threads);
    List<TargetSnapshot> targets = SnapshotFiles.load(file);
    assertThat(targets).hasSize(1);
    return targets.get(0);
  }

  private static String inlineThread(String status) {
    return "          - status: |\n" + indent(status, 14);
  }

  @Test
  void reads_threads_from_a_file_and_inline_with_the_tid_from_their_own_nspid() throws Exception {
    Files.writeString(dir.resolve("pid1-task-7.status"), status(5007, 7, 1000, ROOT_ONLY, ROOT_ONLY));

    TargetSnapshot target = single("          - file: pid1-task-7.status\n"
        + inlineThread(status(5008, 8, 1000, EMPTY, ROOT_ONLY)));

    assertThat(target.errors()).isEmpty();
    ProcessSnapshot process = target.processes().get(0);
    assertThat(process.pidInContainer()).isEqualTo(1);
    assertThat(process.threads()).extracting(ThreadSnapshot::tid).containsExactly(7, 8);
    assertThat(process.threads().get(0).status().capabilities().getOrEmpty(CapabilitySetKind.EFFECTIVE))
        .hasToString("0x1e9");
    assertThat(process.threads().get(1).status().capabilities().getOrEmpty(CapabilitySetKind.BOUNDING))
        .hasToString("0x0");
  }

  @Test
  void takes_the_tid_from_pid_when_the_kernel_printed_no_nspid() throws Exception {
    String noNsPid = status(5007, 7, 1000, ROOT_ONLY, ROOT_ONLY).replaceAll("(?m)^NSpid:.*\n", "");

    TargetSnapshot target = single(inlineThread(noNsPid));

    assertThat(target.processes().get(0).threads()).extracting(ThreadSnapshot::tid).containsExactly(5007);
  }

  @Test
  void drops_a_thread_that_holds_what_its_leader_holds() throws Exception {
    TargetSnapshot target = single(inlineThread(status(5009, 9, 1000, EMPTY, EMPTY)));

    assertThat(target.errors()).isEmpty();
    assertThat(target.processes()).singleElement().satisfies(p -> assertThat(p.threads()).isEmpty());
  }

  @Test
  void a_thread_listed_twice_is_an_error_of_its_target() throws Exception {
    String thread = inlineThread(status(5007, 7, 1000, ROOT_ONLY, ROOT_ONLY));

    TargetSnapshot target = single(thread + thread);

    assertThat(target.errors()).containsExactly("thread 7 of pid 1 is listed twice");
    assertThat(target.processes().get(0).threads()).extracting(ThreadSnapshot::tid).containsExactly(7);
  }

  @Test
  void a_thread_that_claims_the_leaders_id_with_other_sets_is_an_error() throws Exception {
    TargetSnapshot target = single(inlineThread(status(5000, 1, 1000, ROOT_ONLY, ROOT_ONLY)));

    assertThat(target.errors()).containsExactly(
        "thread 1 of pid 1 is the leader itself, but its status differs from the leader's");
    assertThat(target.processes().get(0).threads()).isEmpty();
  }

  @Test
  void an_unreadable_thread_makes_its_target_an_error() throws Exception {
    TargetSnapshot target = single("          - file: gone.status\n");

    assertThat(target.errors()).containsExactly("cannot read status " + dir.resolve("gone.status")
        + ": No such file or directory");
  }
}

package dev.capaudit.scanner.snapshot;

import static dev.capaudit.scanner.snapshot.SnapshotTexts.HEADER;
import static dev.capaudit.scanner.snapshot.SnapshotTexts.single;
import static dev.capaudit.scanner.snapshot.SnapshotTexts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotFilesTest {
  private static final Path CONNECT_SHELL = TestFiles.sample("cases/connect-shell-0xa82c25fb/snapshot.yaml");

  @TempDir
  Path dir;

  @Test
  void names_a_container_target_from_its_inspect_output() throws Exception {
    List<TargetSnapshot> targets = SnapshotFiles.load(CONNECT_SHELL);

    assertThat(targets).singleElement().satisfies(target -> {
      assertThat(target.kind()).isEqualTo(TargetKind.CONTAINER);
      assertThat(target.name()).isEqualTo("capaudit-capture-agent-fixed");
      assertThat(target.id()).startsWith("d7843add4546");
      assertThat(target.image()).isEqualTo("capaudit-test:latest");
      assertThat(target.config()).get().satisfies(c -> {
        assertThat(c.boundingSet()).hasToString("0xa82c25fb");
        assertThat(c.capAdd()).containsExactly("CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
      });
      assertThat(target.errors()).isEmpty();
    });
  }

  @Test
  void reads_the_host_proc_status_of_pid_1() throws Exception {
    TargetSnapshot target = SnapshotFiles.load(CONNECT_SHELL).get(0);

    assertThat(target.processes()).singleElement().satisfies(process -> {
      assertThat(process.source()).isEqualTo(ObservationSource.HOST_PROC);
      assertThat(process.pidInContainer()).isEqualTo(1);
      assertThat(process.status().pid()).isEqualTo(22640);
      assertThat(process.status().effectiveUid()).isEqualTo(1000);
      assertThat(process.status().capabilities().getOrEmpty(CapabilitySetKind.BOUNDING)).hasToString("0x100");
    });
  }

  @Test
  void reads_the_root_and_non_root_exec_views_with_the_configured_bounding_set() throws Exception {
    TargetSnapshot target = SnapshotFiles.load(CONNECT_SHELL).get(0);

    assertThat(target.exec()).extracting(ExecView::user).containsExactly("0", "1000");
    assertThat(target.exec()).extracting(ExecView::root).containsExactly(true, false);
    assertThat(target.exec()).allSatisfy(view -> {
      assertThat(view.capabilities().getOrEmpty(CapabilitySetKind.BOUNDING)).hasToString("0xa82c25fb");
      assertThat(view.source()).isEqualTo(ObservationSource.EXEC_PROBE);
      assertThat(view.noNewPrivs()).contains(false);
    });
    assertThat(target.exec().get(0).capabilities().getOrEmpty(CapabilitySetKind.EFFECTIVE)).hasToString("0xa82c25fb");
    assertThat(target.exec().get(1).capabilities().getOrEmpty(CapabilitySetKind.EFFECTIVE)).hasToString("0x0");
  }

  @Test
  void records_a_missing_status_file_as_an_error_of_its_target_without_throwing() throws Exception {
    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: gone\n    processes:\n      - file: missing.status\n");

    assertThat(target.name()).isEqualTo("gone");
    assertThat(target.kind()).isEqualTo(TargetKind.SNAPSHOT);
    assertThat(target.processes()).isEmpty();
    assertThat(target.errors()).containsExactly("cannot read status " + dir.resolve("missing.status")
        + ": No such file or directory");
  }

  @Test
  void records_an_unparsable_status_as_an_error_naming_its_line() throws Exception {
    write(dir, "garbled.status", "Name:\tsleep\nPid:\t1\nnot a field\n");

    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: garbled\n    processes:\n      - file: garbled.status\n");

    assertThat(target.processes()).isEmpty();
    assertThat(target.errors()).containsExactly(
        "status garbled.status: line 3: expected 'Key:<tab>value' but found 'not a field'");
  }

  @Test
  void keeps_reading_the_other_targets_when_one_cannot_be_read() throws Exception {
    String status = TestFiles.read("captured/proc/agent-fixed/pid1.status");
    write(dir, "pid1.status", status);

    List<TargetSnapshot> targets = SnapshotFiles.load(write(dir, "snapshot.yaml", HEADER + "targets:\n"
        + "  - name: gone\n    processes:\n      - file: missing.status\n"
        + "  - name: fine\n    processes:\n      - file: pid1.status\n"));

    assertThat(targets).extracting(TargetSnapshot::name).containsExactly("gone", "fine");
    assertThat(targets.get(0).errors()).hasSize(1);
    assertThat(targets.get(1).errors()).isEmpty();
    assertThat(targets.get(1).processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(1);
    assertThat(targets.get(1).processes()).extracting(ProcessSnapshot::source)
        .containsExactly(ObservationSource.SNAPSHOT);
  }

  @Test
  void reads_an_inline_status_and_keeps_the_errors_the_snapshot_lists() throws Exception {
    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: inline\n    kind: host\n"
        + "    errors: [\"pid 9 vanished\"]\n    processes:\n      - status: |\n"
        + SnapshotTexts.inline(4242, 7, 0, "0000020000000100", "0000000000000000"));

    assertThat(target.kind()).isEqualTo(TargetKind.HOST);
    assertThat(target.errors()).containsExactly("pid 9 vanished");
    assertThat(target.processes()).singleElement().satisfies(p -> {
      assertThat(p.pidInContainer()).isEqualTo(7);
      assertThat(p.status().capabilities().getOrEmpty(CapabilitySetKind.BOUNDING)).hasToString("0x20000000100");
      assertThat(p.status().capabilities().get(CapabilitySetKind.AMBIENT)).isEmpty();
    });
  }

  @Test
  void records_an_unknown_source_and_target_kind_as_errors() throws Exception {
    write(dir, "pid1.status", TestFiles.read("captured/proc/agent-fixed/pid1.status"));

    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: odd\n    kind: vm\n    processes:\n"
        + "      - file: pid1.status\n        source: telepathy\n");

    assertThat(target.kind()).isEqualTo(TargetKind.SNAPSHOT);
    assertThat(target.processes()).extracting(ProcessSnapshot::source).containsExactly(ObservationSource.SNAPSHOT);
    assertThat(target.errors()).containsExactlyInAnyOrder("unknown target kind 'vm'",
        "unknown source 'telepathy'; kept as snapshot");
  }

  @Test
  void refuses_a_file_of_the_wrong_kind() throws Exception {
    Path file = write(dir, "policy.yaml", "apiVersion: capaudit/v1\nkind: CapabilityPolicy\ntargets: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessage("snapshot " + file + ": kind must be 'Snapshot' but is 'CapabilityPolicy'");
  }

  @Test
  void refuses_an_unknown_key_naming_it_and_a_location() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER + "targets:\n  - name: x\n    proceses: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessageStartingWith("invalid snapshot " + file + ":")
        .hasMessageContaining("\"proceses\"")
        .hasMessageMatching("invalid snapshot .*snapshot\\.yaml:\\d+:\\d+: .*");
  }

  @Test
  void refuses_an_unknown_key_naming_its_line() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER + "targets:\n  - name: x\n    proceses: []\n    kind: host\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessageStartingWith("invalid snapshot " + file + ":5:5:");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "apiVersion: capaudit/v1\nkind: Snapshot\ntargets:\n",
      "apiVersion: capaudit/v1\nkind: Snapshot\ntargets:\n  -\n",
      "apiVersion: capaudit/v1\nkind: Snapshot\ntargets:\n  - name: x\n    processes:\n      -\n",
      "~\n"})
  void refuses_a_null_where_a_mapping_or_list_is_expected(String yaml) throws Exception {
    Path file = write(dir, "snapshot.yaml", yaml);

    assertThatThrownBy(() -> SnapshotFiles.load(file)).isInstanceOf(SnapshotFileException.class);
  }

  @Test
  void refuses_an_unknown_api_version() throws Exception {
    Path file = write(dir, "snapshot.yaml", "apiVersion: capaudit/v9\nkind: Snapshot\ntargets: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessageContaining("apiVersion");
  }

  @Test
  void refuses_a_snapshot_without_targets() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER);

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessageStartingWith("invalid snapshot " + file)
        .hasMessageContaining("targets");
  }

  @Test
  void refuses_a_file_that_cannot_be_read() {
    Path missing = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> SnapshotFiles.load(missing))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessageStartingWith("cannot read snapshot " + missing);
  }
}

package dev.capaudit.scanner.snapshot;

import static dev.capaudit.scanner.snapshot.SnapshotTexts.HEADER;
import static dev.capaudit.scanner.snapshot.SnapshotTexts.single;
import static dev.capaudit.scanner.snapshot.SnapshotTexts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.TestFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and careless snapshots: each is refused or makes its target an error, never a silent pass. */
class SnapshotFilesStrictTest {
  private static final String PID1 = TestFiles.read("captured/proc/agent-fixed/pid1.status");

  @TempDir
  Path dir;

  @Test
  void refuses_a_duplicated_targets_key_naming_its_line() throws Exception {
    write(dir, "pid1.status", PID1);
    Path file = write(dir, "snapshot.yaml", HEADER + "targets:\n  - name: bad\n    processes: [{file: pid1.status}]\n"
        + "targets: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessage("invalid snapshot " + file + ":6:8: Duplicate field 'targets'");
  }

  @Test
  void refuses_a_duplicated_processes_key_naming_its_line() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER + "targets:\n  - name: bad\n    processes: [{file: a.status}]\n"
        + "    processes: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessageStartingWith("invalid snapshot " + file + ":6:")
        .hasMessageEndingWith("Duplicate field 'processes'");
  }

  @Test
  void refuses_a_benign_alias_rather_than_reading_its_name_as_the_value() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER + "targets:\n  - name: &n sandbox\n    labels: {team: *n}\n"
        + "    processes: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessage("invalid snapshot " + file + ":5:20: YAML alias '*n': anchors and aliases are not expanded,"
            + " write the value out");
  }

  @Test
  void refuses_a_second_document() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER + "targets: []\n---\n" + HEADER + "targets: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .hasMessageStartingWith("invalid snapshot " + file + ":5:")
        .hasMessageEndingWith("a second YAML document ('---'); the file must hold exactly one");
  }

  @Test
  void refuses_nesting_deeper_than_any_snapshot_needs() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER + "targets: [{name: x, errors: " + "[".repeat(30) + "]".repeat(30)
        + "}]\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessageMatching("invalid snapshot .*snapshot\\.yaml:3:\\d+: nested deeper than 20 levels");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refuses_the_dev_zero_device_as_a_snapshot() {
    assertThatThrownBy(() -> SnapshotFiles.load(Path.of("/dev/zero")))
        .isInstanceOf(SnapshotFileException.class)
        .hasMessage("cannot read snapshot /dev/zero: not a regular file (a FIFO, socket or device)");
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 50})
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refuses_a_snapshot_of_many_megabytes_before_reading_it(int megabytes) throws Exception {
    Path file = dir.resolve("huge.yaml");
    try (RandomAccessFile huge = new RandomAccessFile(file.toFile(), "rw")) {
      huge.setLength(megabytes * 1024L * 1024);
    }

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .hasMessage("snapshot " + file + " is larger than 3 MiB (" + megabytes + " MiB)");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refuses_a_two_megabyte_line_before_the_yaml_parser_scans_it() throws Exception {
    Path file = write(dir, "snapshot.yaml", HEADER + "description: " + "x".repeat(2 * 1024 * 1024) + "\ntargets: []\n");

    assertThatThrownBy(() -> SnapshotFiles.load(file))
        .hasMessage("invalid snapshot " + file + ":3:65537: line 3 is longer than 64 KiB (2097165 characters)");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void status_and_inspect_files_that_are_devices_make_their_target_an_error_without_reading_them() throws Exception {
    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: zero\n    inspect: /dev/zero\n"
        + "    processes: [{file: /dev/zero}]\n");

    assertThat(target.config()).isEmpty();
    assertThat(target.processes()).isEmpty();
    assertThat(target.errors()).containsExactly(
        "cannot read inspect /dev/zero: not a regular file (a FIFO, socket or device)",
        "cannot read status /dev/zero: not a regular file (a FIFO, socket or device)");
  }

  @Test
  void a_status_file_larger_than_any_kernel_prints_is_an_error_of_its_target() throws Exception {
    write(dir, "big.status", PID1 + "x".repeat(70 * 1024));

    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: big\n    processes: [{file: big.status}]\n");

    assertThat(target.processes()).isEmpty();
    assertThat(target.errors()).singleElement().asString()
        .startsWith("status " + dir.resolve("big.status") + " is larger than 64 KiB (");
  }

  @Test
  void a_duplicated_key_in_the_inspect_json_is_an_error_naming_its_line() throws Exception {
    String inspect = Files.readString(TestFiles.sample("captured/inspect/1.41/default.json"));
    write(dir, "inspect.json", inspect.replaceFirst("\"Privileged\": false,", "\"Privileged\": false,\n"
        + "            \"Privileged\": true,"));

    TargetSnapshot target = single(dir, HEADER + "targets:\n  - inspect: inspect.json\n");

    assertThat(target.config()).isEmpty();
    assertThat(target.errors()).singleElement().asString()
        .startsWith("inspect " + dir.resolve("inspect.json") + ":")
        .endsWith(": Duplicate field 'Privileged'");
  }

  @Test
  void a_status_without_capability_lines_is_an_error_of_its_target_not_a_pass() throws Exception {
    write(dir, "nocaps.status", PID1.replaceAll("(?m)^Cap.*\n", ""));

    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: nocaps\n    processes: [{file: nocaps.status}]\n");

    assertThat(target.processes()).isEmpty();
    assertThat(target.errors()).singleElement().asString().startsWith("status nocaps.status: missing field 'CapInh'");
  }

  @Test
  void a_status_entry_with_both_file_and_inline_text_is_an_error() throws Exception {
    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: both\n    processes:\n"
        + "      - {file: pid1.status, status: \"Name:\\tx\\n\"}\n      - {source: host-proc}\n");

    assertThat(target.errors()).containsExactly("status pid1.status: give 'file' or 'status', not both",
        "a status entry needs 'file' or 'status'");
  }

  @Test
  void a_file_name_no_file_system_can_hold_is_an_error_not_a_crash() throws Exception {
    TargetSnapshot target = single(dir, HEADER + "targets:\n  - name: nul\n    processes: [{file: \"a\\0b\"}]\n");

    assertThat(target.errors()).singleElement().asString().startsWith("status 'a\u0000b': not a valid path");
  }
}

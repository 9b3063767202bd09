package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hostile or careless user gives the commands capaudit's input files go through (decode, policy check,
 * --policy, --snapshot): always one escaped line with the reason and exit 2 (or 5 for an unreadable target), never
 * a stack trace, an internal error, a hang or a pass.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UsageErrorsTest {
  private static final String SNAPSHOT = RepoPaths.root()
      .resolve("samples/cases/agent-fixed-0x100/snapshot.yaml").toString();
  private static final String STATUS = RepoPaths.root()
      .resolve("samples/captured/proc/agent-fixed/pid1.status").toString();

  @TempDir
  static Path dir;

  private static Path fifo;

  private static Path fifo() throws IOException, InterruptedException {
    if (fifo == null) {
      fifo = dir.resolve("fifo");
      Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
      assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }
    return fifo;
  }

  /** Runs the command and checks it failed as a user error should: exit 2, one line, no trace of Java. */
  private static String usageError(String... args) {
    CliRunner run = CliRunner.run(args);
    assertThat(run.exitCode).as(String.join(" ", args) + ": " + run.err).isEqualTo(ExitCode.USAGE_ERROR.code());
    assertThat(run.err).startsWith("capaudit: ").doesNotContain("Exception", "\tat ", "internal error",
        "Input length");
    assertThat(run.out).isEmpty();
    return run.err;
  }

  @ParameterizedTest
  @ValueSource(strings = {"decode --status", "policy check", "scan --snapshot"})
  void the_dev_zero_device_is_refused_without_reading_it(String command) {
    String[] words = (command + " /dev/zero").split(" ");

    assertThat(usageError(words)).endsWith("/dev/zero: not a regular file (a FIFO, socket or device)\n");
  }

  @Test
  void the_dev_zero_device_is_refused_as_a_policy_of_an_audit() {
    assertThat(usageError("scan", "--snapshot", SNAPSHOT, "--policy", "/dev/zero"))
        .isEqualTo("capaudit: cannot read policy /dev/zero: not a regular file (a FIFO, socket or device)\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"decode --status", "policy check", "scan --snapshot"})
  void a_fifo_is_refused_without_hanging(String command) throws Exception {
    String[] words = (command + " " + fifo()).split(" ");

    assertThat(usageError(words)).endsWith(fifo + ": not a regular file (a FIFO, socket or device)\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"decode --status", "policy check", "scan --snapshot"})
  void a_directory_is_refused_as_such(String command) {
    String[] words = (command + " " + dir).split(" ");

    assertThat(usageError(words)).endsWith(dir + ": not a regular file (a directory)\n");
  }

  @Test
  void an_empty_path_is_named_as_such_not_read_as_the_working_directory() {
    assertThat(usageError("decode", "--status", "")).isEqualTo("capaudit: no status file given (the path is"
        + " empty)\n");
    assertThat(usageError("scan", "--snapshot", "")).isEqualTo("capaudit: no snapshot given (the path is empty)\n");
    assertThat(usageError("policy", "check", "")).startsWith("capaudit: no policy given: name a policy file");
    assertThat(usageError("scan", "--policy", "", "--snapshot", SNAPSHOT)).startsWith("capaudit: no policy given");
  }

  @Test
  void a_missing_file_says_no_such_file_or_directory() {
    Path missing = dir.resolve("missing");

    assertThat(usageError("decode", "--status", missing.toString()))
        .isEqualTo("capaudit: cannot read status file " + missing + ": No such file or directory\n");
    assertThat(usageError("scan", "--snapshot", missing.toString()))
        .isEqualTo("capaudit: cannot read snapshot " + missing + ": No such file or directory\n");
    assertThat(usageError("policy", "check", missing.toString()))
        .startsWith("capaudit: no policy file '" + missing + "': No such file or directory (built-in policies: ");
  }

  @Test
  void a_path_through_a_plain_file_says_not_a_directory() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");

    assertThat(usageError("policy", "check", file.resolve("p.yaml").toString()))
        .isEqualTo("capaudit: cannot read policy " + file.resolve("p.yaml") + ": Not a directory\n");
  }

  @Test
  void bad_utf8_names_its_offset_instead_of_input_length() throws Exception {
    Path latin1 = Files.write(dir.resolve("latin1.status"), Files.readString(Path.of(STATUS))
        .replace("Name:\tsleep", "Name:\tsl\u00e9ep").getBytes(StandardCharsets.ISO_8859_1));

    assertThat(usageError("decode", "--status", latin1.toString())).isEqualTo("capaudit: status file " + latin1
        + " is not valid UTF-8 (first bad byte at offset 8)\n");
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 50})
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void a_policy_of_many_megabytes_is_refused_before_parsing(int megabytes) throws Exception {
    Path policy = dir.resolve("huge-" + megabytes + ".yaml");
    try (RandomAccessFile huge = new RandomAccessFile(policy.toFile(), "rw")) {
      huge.setLength(megabytes * 1024L * 1024);
    }

    assertThat(usageError("policy", "check", policy.toString())).isEqualTo("capaudit: policy " + policy
        + " is larger than 3 MiB (" + megabytes + " MiB)\n");
  }

  /** A real status changed as a faulty capture or a hostile file would be, and how decode must refuse it. */
  static Stream<Arguments> statusesNoKernelPrints() {
    return Stream.of(
        Arguments.of("(?m)^Cap.*\n", "", " missing field 'CapInh': every kernel since 2.6.26 prints CapInh, CapPrm,"
            + " CapEff and CapBnd, so this is not a whole /proc/N/status"),
        Arguments.of("Uid:\t1000", "Uid:\t4294967296", " line 9: Uid 4294967296 is out of range (0 to 4294967295)"),
        Arguments.of("(?m)^(NoNewPrivs:.*)$", "$1\n$1", " line 50: duplicate field 'NoNewPrivs' (first at line 49)"));
  }

  @ParameterizedTest
  @MethodSource("statusesNoKernelPrints")
  void decode_refuses_a_status_the_kernel_could_not_have_printed(String regex, String replacement, String problem)
      throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.status"), Files.readString(Path.of(STATUS))
        .replaceAll(regex, replacement));

    assertThat(usageError("decode", "--status", bad.toString())).isEqualTo("capaudit: " + bad + ":" + problem + "\n");
  }

  @Test
  void decode_reads_a_live_proc_status_whose_size_is_zero() {
    CliRunner run = CliRunner.run("decode", "--status", "/proc/self/status");

    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).contains("CapBnd = 0x");
  }

  @Test
  void a_snapshot_with_a_duplicated_targets_key_exits_2_naming_the_line() throws Exception {
    Path snapshot = Files.writeString(dir.resolve("dup.yaml"), "apiVersion: capaudit/v1\nkind: Snapshot\n"
        + "targets:\n  - name: a\n    processes: [{file: " + STATUS + "}]\ntargets: []\n");

    assertThat(usageError("scan", "--policy", "nemoclaw-sandbox", "--snapshot", snapshot.toString()))
        .isEqualTo("capaudit: invalid snapshot " + snapshot + ":6:8: Duplicate field 'targets'\n");
  }

  @Test
  void a_policy_with_an_alias_exits_2_naming_the_line() throws Exception {
    Path policy = Files.writeString(dir.resolve("alias.yaml"), "apiVersion: capaudit/v1\nkind: CapabilityPolicy\n"
        + "name: &n x\ndescription: *n\n");

    assertThat(usageError("policy", "check", policy.toString())).isEqualTo("capaudit: invalid policy at " + policy
        + ":4:14: YAML alias '*n': anchors and aliases are not expanded, write the value out\n");
  }

  @Test
  void a_snapshot_naming_dev_zero_as_a_status_is_an_unreadable_target_exit_5() throws Exception {
    Path snapshot = Files.writeString(dir.resolve("zero.yaml"), "apiVersion: capaudit/v1\nkind: Snapshot\n"
        + "targets:\n  - name: zero\n    processes: [{file: /dev/zero}]\n    inspect: /dev/zero\n");

    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", snapshot.toString());

    assertThat(run.exitCode).isEqualTo(ExitCode.UNREADABLE.code());
    assertThat(run.out).contains("zero").contains("error").contains("not a regular file");
  }

  @Test
  void unknown_enum_values_are_usage_errors_naming_the_option() {
    assertThat(usageError("scan", "--exec-view", "sideways", "--snapshot", SNAPSHOT))
        .startsWith("capaudit: Invalid value for option '--exec-view'");
    assertThat(usageError("scan", "--fail-on", "sometimes", "--snapshot", SNAPSHOT).lines().findFirst().orElseThrow())
        .startsWith("capaudit: Invalid value for option '--fail-on'");
  }

  @Test
  void a_hostile_policy_name_reaches_the_terminal_as_text() {
    String err = usageError("scan", "--policy", "\u001b]0;owned\u0007\u001b[2J\u202e", "--snapshot", SNAPSHOT);

    assertThat(err).contains("no policy file '\\x1b]0;owned\\x07\\x1b[2J\\u202e'").doesNotContain("\u001b", "\u0007",
        "\u202e");
  }

  @Test
  void a_hostile_option_reaches_the_terminal_as_text_through_the_parse_error_handler() {
    String err = usageError("scan", "--\u001b]0;owned\u0007");

    assertThat(err).startsWith("capaudit: Unknown option: '--\\x1b]0;owned\\x07'").doesNotContain("\u001b", "\u0007");
  }

  @Test
  void a_hostile_status_path_reaches_the_terminal_as_text() {
    String err = usageError("decode", "--status", dir.resolve("\u001b[31mred\u0085").toString());

    assertThat(err).contains("\\x1b[31mred\\x85: No such file or directory").doesNotContain("\u001b", "\u0085");
  }
}

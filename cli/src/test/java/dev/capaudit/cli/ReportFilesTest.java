package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The files reports are read from (baselines, diff, merge) and written to: a device or a FIFO is refused at once
 * with exit 2, a path that cannot be written is refused before anything is scanned, and whatever such a file holds
 * reaches the terminal as text.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReportFilesTest {
  private static final String SNAPSHOT = RepoPaths.root().resolve("samples/cases/agent-fixed-0x100/snapshot.yaml")
      .toString();
  private static final String HOSTILE = "\u001b]8;;http://evil\u0007x\u001b[2J\u202e";

  @TempDir
  static Path dir;

  private static Path fifo;
  private static Path report;

  @BeforeAll
  static void files() throws IOException, InterruptedException {
    fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
    report = dir.resolve("report.json");
    CliRunner.run("scan", "--snapshot", SNAPSHOT, "--json", report.toString(), "--quiet");
    assertThat(report).exists();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dev/zero", "FIFO"})
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void a_device_or_fifo_as_baseline_diff_or_merge_input_is_exit_2_at_once(String input) {
    String file = input.equals("FIFO") ? fifo.toString() : input;
    String refused = "cannot read report " + file + ": not a regular file (a FIFO, socket or device)";

    CliRunner baseline = CliRunner.run("scan", "--snapshot", SNAPSHOT, "--baseline", file);
    CliRunner diffOld = CliRunner.run("diff", file, report.toString());
    CliRunner diffNew = CliRunner.run("diff", report.toString(), file);
    CliRunner merge = CliRunner.run("merge", report.toString(), file);

    assertThat(baseline.exitCode).isEqualTo(2);
    assertThat(baseline.err).isEqualTo("capaudit: cannot read baseline " + file
        + ": not a regular file (a FIFO, socket or device)\n");
    for (CliRunner run : new CliRunner[] {diffOld, diffNew, merge}) {
      assertThat(run.exitCode).as(run.err).isEqualTo(2);
      assertThat(run.err).isEqualTo("capaudit: " + refused + "\n");
    }
  }

  @Test
  void diff_shows_every_field_of_a_hostile_report_as_text() throws IOException {
    Path old = Files.writeString(dir.resolve("old.json"), "{\"schemaVersion\": 2, \"targets\": []}");
    Path hostile = Files.writeString(dir.resolve("hostile.json"), "{\"schemaVersion\": 2, \"targets\": [{\"kind\":"
        + " \"container\", \"name\": \"n" + json(HOSTILE) + "\", \"findings\": [{\"rule\": \"r" + json(HOSTILE)
        + "\", \"severity\": \"high\", \"capability\": \"CAP_" + json(HOSTILE) + "\", \"occurrences\": [{"
        + "\"policyContext\": \"root-process\", \"holder\": {\"kind\": \"process\", \"name\": \"p" + json(HOSTILE)
        + "\", \"uid\": 0}}]}]}]}");

    CliRunner run = CliRunner.run("diff", old.toString(), hostile.toString());

    assertThat(run.exitCode).as(run.err).isEqualTo(4);
    String escaped = "\\x1b]8;;http://evil\\x07x\\x1b[2J\\u202e";
    assertThat(run.out).contains("new   high   r" + escaped + " CAP_" + escaped + " in container:n" + escaped
        + ": root-process process p" + escaped + " uid=0");
    assertThat(run.out).doesNotContain("\u001b", "\u0007", "\u202e");
  }

  @Test
  void an_internal_error_reaches_the_terminal_as_text() {
    CommandLine commandLine = Main.commandLine().addSubcommand("boom", new Boom());
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(new StringWriter()));
    commandLine.setErr(new PrintWriter(err, true));

    int exit = commandLine.execute("boom");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("capaudit: internal error: ").contains("\\x1b]8;;http://evil\\x07x")
        .doesNotContain("\u001b", "\u0007", "\u202e");
  }

  /** A command that fails as a bug would, with a message that quotes a container's name. */
  @Command(name = "boom")
  static final class Boom implements Runnable {
    @Override
    public void run() {
      throw new IllegalStateException("unexpected container " + HOSTILE);
    }
  }

  @Test
  void a_report_path_that_cannot_be_written_is_refused_before_the_scan() throws IOException {
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");

    // The snapshot is /dev/zero: had the scan started, that would be the error.
    CliRunner missing = CliRunner.run("scan", "--snapshot", "/dev/zero", "--json", "/nonexistent/x.json");
    CliRunner directory = CliRunner.run("scan", "--snapshot", "/dev/zero", "--html", dir.toString());
    CliRunner notDirectory = CliRunner.run("scan", "--snapshot", "/dev/zero", "--format", "sarif", "-o",
        plain.resolve("x.sarif").toString());
    CliRunner table = CliRunner.run("merge", "/dev/zero", "-o", dir.resolve("no/table.txt").toString());

    assertThat(missing.exitCode).isEqualTo(2);
    assertThat(missing.err).isEqualTo("capaudit: cannot write the json report /nonexistent/x.json: No such file or"
        + " directory\n");
    assertThat(directory.err).isEqualTo("capaudit: cannot write the html report " + dir + ": Is a directory\n");
    assertThat(notDirectory.err).isEqualTo("capaudit: cannot write the sarif report " + plain.resolve("x.sarif")
        + ": Not a directory\n");
    assertThat(table.err).isEqualTo("capaudit: cannot write the table " + dir.resolve("no/table.txt")
        + ": No such file or directory\n");
  }

  @Test
  void a_report_that_fails_while_it_is_written_says_why_and_the_others_are_still_written() throws IOException {
    Path html = dir.resolve("written.html");

    CliRunner run = CliRunner.run("scan", "--snapshot", SNAPSHOT, "--sarif", "/dev/full", "--html", html.toString());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).isEqualTo("capaudit: cannot write the sarif report /dev/full: No space left on device\n");
    assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
  }

  @Test
  void help_is_shown_whatever_the_report_paths() {
    CliRunner run = CliRunner.run("scan", "--json", "/nonexistent/x.json", "--help");

    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("Usage: capaudit scan");
  }

  private static String json(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c)
        : String.valueOf((char) c)));
    return out.toString();
  }
}

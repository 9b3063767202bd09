package dev.capaudit.scanner.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BoundedFilesTest {
  @TempDir
  Path dir;

  @Test
  void reads_a_small_utf8_file() throws Exception {
    Path file = Files.writeString(dir.resolve("p.yaml"), "name: é", StandardCharsets.UTF_8);

    assertThat(BoundedFiles.readText(file, 100, "policy")).isEqualTo("name: é");
  }

  @Test
  void refuses_a_file_over_the_limit_before_reading_it() throws Exception {
    Path file = Files.write(dir.resolve("big"), new byte[101]);

    assertThatThrownBy(() -> BoundedFiles.readText(file, 100, "policy"))
        .isInstanceOf(InputFileException.class).hasMessage("policy " + file + " is larger than 100 bytes (101 bytes)");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refuses_a_device_without_reading_it() {
    assertThatThrownBy(() -> BoundedFiles.readText(Path.of("/dev/zero"), 1024, "snapshot"))
        .hasMessage("cannot read snapshot /dev/zero: not a regular file (a FIFO, socket or device)");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refuses_a_fifo_without_hanging() throws Exception {
    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> BoundedFiles.readText(fifo, 1024, "policy"))
        .hasMessageEndingWith("not a regular file (a FIFO, socket or device)");
  }

  @Test
  void says_no_such_file_in_the_systems_words() {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> BoundedFiles.readText(missing, 1024, "policy"))
        .hasMessage("cannot read policy " + missing + ": No such file or directory");
  }

  @Test
  void names_a_directory_as_such() {
    assertThatThrownBy(() -> BoundedFiles.readText(dir, 1024, "policy"))
        .hasMessageEndingWith("not a regular file (a directory)");
  }

  @Test
  void names_the_offset_of_bad_utf8() throws Exception {
    Path file = Files.write(dir.resolve("bad"), new byte[] {'a', 'b', (byte) 0xff, 'c'});

    assertThatThrownBy(() -> BoundedFiles.readText(file, 100, "policy"))
        .hasMessage("policy " + file + " is not valid UTF-8 (first bad byte at offset 2)");
  }

  @Test
  void a_kernel_file_over_the_limit_reads_as_absent() throws Exception {
    Path file = Files.write(dir.resolve("status"), new byte[65]);

    assertThat(BoundedFiles.readKernelFile(file, 64)).isEmpty();
    assertThat(BoundedFiles.readKernelFile(file, 65)).hasValueSatisfying(text -> assertThat(text).hasSize(65));
    assertThat(BoundedFiles.readKernelFile(dir.resolve("gone"), 64)).isEmpty();
  }

  @Test
  void names_an_empty_path_instead_of_reading_the_working_directory() {
    assertThatThrownBy(() -> BoundedFiles.readText(Path.of(""), 1024, "policy"))
        .isInstanceOf(InputFileException.class).hasMessage("no policy given (the path is empty)");
  }

  @Test
  void refuses_a_symbolic_link_to_a_device() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));

    assertThatThrownBy(() -> BoundedFiles.readText(link, 1024, "snapshot"))
        .hasMessage("cannot read snapshot " + link + ": not a regular file (a FIFO, socket or device)");
  }

  @Test
  void says_not_a_directory_for_a_path_through_a_file() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");

    assertThatThrownBy(() -> BoundedFiles.readText(file.resolve("policy.yaml"), 1024, "policy"))
        .hasMessage("cannot read policy " + file.resolve("policy.yaml") + ": Not a directory");
  }

  @Test
  void says_permission_denied_in_the_systems_words() {
    assertThat(BoundedFiles.reason(new AccessDeniedException("/root/p.yaml"))).isEqualTo("Permission denied");
    assertThat(BoundedFiles.reason(new NoSuchFileException("/p.yaml"))).isEqualTo("No such file or directory");
  }

  @Test
  void reads_a_kernel_file_that_reports_a_size_of_zero() throws Exception {
    assertThat(Files.size(Path.of("/proc/self/status"))).isZero();

    assertThat(BoundedFiles.readText(Path.of("/proc/self/status"), BoundedFiles.PROC_LIMIT, "status"))
        .contains("\nCapEff:\t");
  }

  @Test
  void refuses_a_kernel_file_that_turns_out_larger_than_the_limit() {
    assertThatThrownBy(() -> BoundedFiles.readText(Path.of("/proc/self/status"), 16, "status"))
        .hasMessage("status /proc/self/status is larger than 16 bytes");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void gives_up_on_a_read_that_blocks() {
    assertThatThrownBy(() -> BoundedFiles.within(Duration.ofMillis(200), "policy p.yaml", () -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new byte[0];
    })).isInstanceOf(InputFileException.class)
        .hasMessage("cannot read policy p.yaml: no end of file within 200 ms (it blocks, like a FIFO or a device)");
  }

  @Test
  void passes_on_the_reads_own_problem() {
    assertThatThrownBy(() -> BoundedFiles.within(Duration.ofSeconds(5), "policy p.yaml", () -> {
      throw new InputFileException("policy p.yaml is larger than 1 KiB");
    })).isInstanceOf(InputFileException.class).hasMessage("policy p.yaml is larger than 1 KiB");
  }
}

package dev.capaudit.scanner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A container's files read from the host: links resolved inside the container's root, never outside it. */
class ContainerFilesTest {
  @TempDir
  Path temp;

  private Path root() throws IOException {
    Path root = temp.resolve("root");
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("bin/busybox"), "#!busybox");
    return root;
  }

  @Test
  void an_absolute_link_resolves_against_the_containers_root() throws IOException {
    Path root = root();
    Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("/bin/busybox"));

    assertThat(new ContainerFiles(root).resolve("/bin/sh")).hasValue(root.resolve("bin/busybox"));
  }

  @Test
  void a_link_that_climbs_out_stays_inside_the_root() throws IOException {
    Path root = root();
    Files.writeString(temp.resolve("host-secret"), "host");
    Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("../../../host-secret"));

    assertThat(new ContainerFiles(root).resolve("/bin/sh")).as("../ at the root stays at the root").isEmpty();
  }

  @Test
  void a_link_loop_ends() throws IOException {
    Path root = root();
    Files.createSymbolicLink(root.resolve("bin/a"), Path.of("/bin/b"));
    Files.createSymbolicLink(root.resolve("bin/b"), Path.of("/bin/a"));

    assertThat(new ContainerFiles(root).resolve("/bin/a")).isEmpty();
  }

  @Test
  void a_user_name_resolves_through_the_containers_passwd() throws IOException {
    Path root = root();
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nsandbox:x:1000:1000::/home:/bin/sh\n");

    assertThat(new ContainerFiles(root).uidOf("sandbox")).isEqualTo(OptionalLong.of(1000));
    assertThat(new ContainerFiles(root).uidOf("nobody")).isEmpty();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void a_passwd_that_is_a_fifo_is_never_read() throws Exception {
    Path root = root();
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("etc/passwd").toString()).start();
    assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThat(new ContainerFiles(root).uidOf("sandbox")).isEmpty();
  }

  @Test
  void a_setuid_shell_is_seen_as_such() throws IOException {
    Path root = root();
    Files.setPosixFilePermissions(root.resolve("bin/busybox"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setAttribute(root.resolve("bin/busybox"), "unix:mode", 04755);
    Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));

    assertThat(new ContainerFiles(root).privileges("/bin/sh")).hasValueSatisfying(p -> {
      assertThat(p.setuid()).isTrue();
      assertThat(p.capabilities().isEmpty()).isTrue();
    });
  }
}

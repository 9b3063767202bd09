package dev.capaudit.scanner.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.PrivilegedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivilegedFileFinderTest {
  @TempDir
  Path root;

  @Test
  void permitted_reads_an_ep_clause() {
    assertThat(PrivilegedFileFinder.permitted("cap_net_raw=ep")).hasToString("0x2000");
  }

  @Test
  void permitted_reads_every_name_of_a_comma_list() {
    assertThat(PrivilegedFileFinder.permitted("cap_net_admin,cap_net_raw+ep")).hasToString("0x3000");
  }

  @Test
  void permitted_ignores_a_clause_without_p() {
    assertThat(PrivilegedFileFinder.permitted("cap_net_raw=i")).isEqualTo(CapabilityMask.EMPTY);
    assertThat(PrivilegedFileFinder.permitted("cap_net_raw+e")).isEqualTo(CapabilityMask.EMPTY);
  }

  @Test
  void permitted_reads_several_clauses() {
    assertThat(PrivilegedFileFinder.permitted("cap_sys_admin=ep cap_kill=p"))
        .isEqualTo(CapabilityMask.of(Capability.SYS_ADMIN, Capability.KILL));
    // As getcap prints a file with different flags per capability.
    assertThat(PrivilegedFileFinder.permitted("cap_kill=i cap_net_raw+p")).hasToString("0x2000");
  }

  @Test
  void permitted_reads_garbage_as_nothing() {
    for (String garbage : List.of("", "   ", "garbage", "cap_", "cap_nope=ep", "=", "ep", "cap_net_raw")) {
      assertThat(PrivilegedFileFinder.permitted(garbage)).as("'%s'", garbage).isEqualTo(CapabilityMask.EMPTY);
    }
  }

  @Test
  void permitted_reads_all_capabilities_ep_as_every_capability() {
    assertThat(PrivilegedFileFinder.permitted("=ep")).isEqualTo(CapabilityMask.ALL_KNOWN);
  }

  @Test
  void permitted_removes_what_a_minus_clause_removes() {
    assertThat(PrivilegedFileFinder.permitted("=ep cap_sys_admin-ep"))
        .isEqualTo(CapabilityMask.ALL_KNOWN.minus(CapabilityMask.of(Capability.SYS_ADMIN)));
    assertThat(PrivilegedFileFinder.permitted("cap_net_raw,cap_kill+ep cap_kill-p")).hasToString("0x2000");
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
  }

  private Path file(String relative) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    return file;
  }

  private static Map<String, PrivilegedFile> byPath(List<PrivilegedFile> files) {
    return files.stream().collect(Collectors.toMap(PrivilegedFile::path, Function.identity()));
  }

  @Test
  void finds_exactly_the_setuid_and_setgid_files_with_their_owner() throws Exception {
    Path setuid = file("usr/bin/su");
    Path setgid = file("usr/bin/wall");
    file("usr/bin/plain");
    run("chown", "1234:1234", setgid.toString()); // before chmod: chown clears the set-id bits
    run("chmod", "4755", setuid.toString());
    run("chmod", "2755", setgid.toString());

    PrivilegedFileFinder finder = new PrivilegedFileFinder();
    List<PrivilegedFile> found = finder.find(root);

    assertThat(found).containsExactlyInAnyOrder(
        new PrivilegedFile("/usr/bin/su", true, false, 0, CapabilityMask.EMPTY),
        new PrivilegedFile("/usr/bin/wall", false, true, 1234, CapabilityMask.EMPTY));
  }

  @Test
  void reports_both_bits_of_a_setuid_and_setgid_file() throws Exception {
    Path both = file("bin/both");
    run("chown", "0:50", both.toString());
    run("chmod", "6755", both.toString());

    assertThat(new PrivilegedFileFinder().find(root)).containsExactly(
        new PrivilegedFile("/bin/both", true, true, 0, CapabilityMask.EMPTY));
  }

  @Test
  void skips_a_top_level_proc_but_not_a_nested_one() throws Exception {
    for (String relative : List.of("proc/1/exe", "sys/kernel/helper", "dev/shm/su", "opt/proc/tool")) {
      run("chmod", "4755", file(relative).toString());
    }

    List<PrivilegedFile> found = new PrivilegedFileFinder().find(root);

    assertThat(found).extracting(PrivilegedFile::path).containsExactly("/opt/proc/tool");
  }

  @Test
  void reads_file_capabilities_with_getcap() throws Exception {
    Path ping = file("usr/bin/ping");
    file("usr/bin/plain");
    run("setcap", "cap_net_raw+ep", ping.toString());

    PrivilegedFileFinder finder = new PrivilegedFileFinder();
    List<PrivilegedFile> found = finder.find(root);

    assertThat(found).containsExactly(new PrivilegedFile("/usr/bin/ping", false, false, 0,
        CapabilityMask.parse("0x2000")));
    assertThat(finder.notes()).isEmpty();
  }

  @Test
  void merges_file_capabilities_into_a_setuid_file() throws Exception {
    Path tool = file("usr/sbin/tool");
    run("chmod", "4755", tool.toString());
    run("setcap", "cap_net_admin,cap_net_raw+ep", tool.toString()); // setcap keeps the mode bits

    List<PrivilegedFile> found = new PrivilegedFileFinder().find(root);

    assertThat(found).containsExactly(new PrivilegedFile("/usr/sbin/tool", true, false, 0,
        CapabilityMask.parse("0x3000")));
  }

  @Test
  void a_file_name_with_a_newline_and_cap_text_invents_no_path() throws Exception {
    Path evil = file("bin/evil\nfake cap_sys_admin=ep");
    file("bin/fake");
    run("setcap", "cap_net_raw+ep", evil.toString());

    List<PrivilegedFile> found = new PrivilegedFileFinder().find(root);

    assertThat(found).containsExactly(new PrivilegedFile("/bin/evil\nfake cap_sys_admin=ep", false, false, 0,
        CapabilityMask.parse("0x2000")));
  }

  @Test
  void a_file_name_with_a_newline_cannot_give_another_file_capabilities() throws Exception {
    Path plain = file("bin/fake");
    // A name cannot hold '/': the closest it gets to spelling the other file's line.
    String forged = ("evil\n" + plain + " cap_sys_admin=ep").replace('/', '_');
    Path evil = file("bin/" + forged);
    run("setcap", "cap_kill+p", evil.toString());

    List<PrivilegedFile> found = new PrivilegedFileFinder().find(root);

    assertThat(found).containsExactly(new PrivilegedFile("/bin/" + forged, false, false, 0,
        CapabilityMask.of(Capability.KILL)));
  }

  @Test
  void a_sibling_whose_name_starts_with_the_file_name_cannot_hide_its_capabilities() throws Exception {
    Path real = file("bin/a");
    run("setcap", "cap_sys_admin+ep", real.toString());
    // The hiding sibling must be listed before bin/a; directory order is the filesystem's, so try names.
    Path sibling = null;
    for (int i = 0; i < 64 && sibling == null; i++) {
      Path candidate = file("bin/a =\nq" + i);
      if (listedBefore(candidate, real)) {
        sibling = candidate;
      } else {
        Files.delete(candidate);
      }
    }
    assertThat(sibling).as("a sibling listed before bin/a").isNotNull();
    run("setcap", "cap_kill+p", sibling.toString());

    Map<String, PrivilegedFile> found = byPath(new PrivilegedFileFinder().find(root));

    assertThat(found.get("/bin/a")).isEqualTo(new PrivilegedFile("/bin/a", false, false, 0,
        CapabilityMask.of(Capability.SYS_ADMIN)));
    assertThat(found.get("/" + root.relativize(sibling))).extracting(PrivilegedFile::fileCapabilities)
        .isEqualTo(CapabilityMask.of(Capability.KILL));
  }

  private static boolean listedBefore(Path first, Path second) throws IOException {
    List<Path> order;
    try (Stream<Path> entries = Files.list(first.getParent())) {
      order = new ArrayList<>(entries.toList());
    }
    return order.indexOf(first) < order.indexOf(second);
  }

  @Test
  void an_unreadable_root_is_a_note_not_an_exception() {
    PrivilegedFileFinder finder = new PrivilegedFileFinder();

    assertThat(finder.find(root.resolve("missing"))).isEmpty();
    assertThat(finder.notes()).singleElement().asString().startsWith("cannot list the image's files: ");
  }
}

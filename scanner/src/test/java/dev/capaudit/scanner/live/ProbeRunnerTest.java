package dev.capaudit.scanner.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.scanner.docker.ExecResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A probe that overruns is killed, but only a process this host shows in the container's own cgroup. */
class ProbeRunnerTest {
  private static final String ID = "f".repeat(64);

  @TempDir
  Path temp;

  @Test
  void a_timed_out_probe_in_the_containers_cgroup_is_killed() throws Exception {
    Process probe = new ProcessBuilder("sleep", "600").start();
    FakeHost host = new FakeHost(temp);
    FakeHost.write(temp.resolve("proc").resolve(Long.toString(probe.pid())).resolve("cgroup"), "0::/docker/" + ID
        + "\n");
    FakeEngine engine = new FakeEngine();
    engine.exec = (user, command) -> new ExecResult(-1, "", "", false, true, OptionalLong.of(probe.pid()));
    List<String> notes = new ArrayList<>();

    new ProbeRunner(engine, Optional.of(host.hostProc()), ScanSettings.defaults(List.of()), ID, notes)
        .run("0", ExecViews.PROBE_COMMAND);

    assertThat(probe.waitFor(10, TimeUnit.SECONDS)).as("killed").isTrue();
    assertThat(notes).singleElement().asString().contains("timed out after 15 s and was killed");
  }

  @Test
  void a_pid_this_host_does_not_show_in_the_container_is_never_killed() throws Exception {
    Process bystander = new ProcessBuilder("sleep", "600").start();
    try {
      FakeHost host = new FakeHost(temp);
      FakeEngine engine = new FakeEngine();
      engine.exec = (user, command) -> new ExecResult(-1, "", "", false, true, OptionalLong.of(bystander.pid()));
      List<String> notes = new ArrayList<>();

      new ProbeRunner(engine, Optional.of(host.hostProc()), ScanSettings.defaults(List.of()), ID, notes)
          .run("0", ExecViews.PROBE_COMMAND);

      assertThat(bystander.isAlive()).isTrue();
      assertThat(notes).singleElement().asString().contains("could not be killed and may still run");
    } finally {
      bystander.destroyForcibly();
    }
  }
}

package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * capaudit enforce against a real engine: recreate, verify, roll back, one run at a time, survive signals and
 * crashes, keep volumes and stop timeouts, change nothing without --apply, emit fixes.
 *
 * <p>The workloads run {@code sleep} as pid 1, which ignores SIGTERM: runs that do not test stopping pass
 * {@code --stop-timeout 1} so that each stop costs a second, not the engine's ten.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnforceIT {
  private static final String[] FAST = {"--policy", "cis-docker", "--grace", "2", "--stop-timeout", "1"};
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerHarness docker;

  @TempDir
  Path temp;

  @BeforeAll
  void engine() {
    docker = DockerHarness.start();
  }

  @AfterAll
  void removeEverything() {
    if (docker != null) {
      docker.close();
      // Replacements, backups and restored originals carry the original's labels; locks carry its name.
      DockerHarness.leftovers(docker.runId()).forEach(id -> docker.docker("rm", "-f", "-v", id));
      withRunIdInName().forEach(name -> docker.docker("rm", "-f", "-v", name));
      DockerHarness.run(List.of("sh", "-c", "docker volume ls -q --filter name=capaudit-it-" + docker.runId()
          + " | xargs -r docker volume rm"), 60);
      assertThat(DockerHarness.leftovers(docker.runId())).isEmpty();
      assertThat(withRunIdInName()).isEmpty();
    }
  }

  private List<String> withRunIdInName() {
    return DockerHarness.run(List.of("docker", "ps", "-a", "--filter", "name=" + docker.runId(), "--format",
        "{{.Names}}"), 30).output().lines().filter(l -> !l.isBlank()).toList();
  }

  private static CliRunner enforce(String... args) {
    return CliRunner.run(enforceArgs(args));
  }

  private static String[] enforceArgs(String... args) {
    List<String> all = new ArrayList<>(List.of("enforce"));
    all.addAll(List.of(FAST));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** A root workload under Docker's defaults with a named and an anonymous volume holding random data. */
  private String workloadWithData(String name, String... moreRunArgs) {
    String volume = "capaudit-it-" + docker.runId() + "-" + name;
    List<String> args = new ArrayList<>(List.of("-v", volume + ":/named", "-v", "/anon", "--label", "app=demo"));
    args.addAll(List.of(moreRunArgs));
    args.addAll(List.of("--entrypoint", "sleep", DockerHarness.IMAGE, "1000000"));
    String container = docker.run(name, args.toArray(String[]::new));
    writeData(container);
    return container;
  }

  private void writeData(String container) {
    docker.docker("exec", container, "sh", "-c",
        "head -c 65536 /dev/urandom > /named/data; head -c 65536 /dev/urandom > /anon/data");
  }

  /**
   * A workload whose entrypoint takes its time on SIGTERM (2.5 s) and then exits 0, as a database flushing its
   * files would; killed before that it exits 137.
   */
  private String cleanShutdown(String name, String... moreRunArgs) {
    List<String> args = new ArrayList<>(List.of(moreRunArgs));
    args.addAll(List.of("--entrypoint", "sh", DockerHarness.IMAGE, "-c",
        "trap 'echo got-term; sleep 2.5; echo clean-exit; exit 0' TERM; echo ready; sleep 1000000 & wait $!"));
    return docker.run(name, args.toArray(String[]::new));
  }

  private String checksums(String container) {
    return docker.docker("exec", container, "md5sum", "/named/data", "/anon/data");
  }

  private String inspect(String container, String format) {
    return docker.docker("inspect", "-f", format, container).strip();
  }

  private String idOf(String container) {
    return inspect(container, "{{.Id}}");
  }

  /** Every container this test class made or enforce made for it: id, name and state, to compare. */
  private String everything() {
    return DockerHarness.run(List.of("docker", "ps", "-a", "--filter", "name=" + docker.runId(), "--format",
        "{{.ID}} {{.Names}} {{.State}}"), 30).output().lines().sorted().toList().toString();
  }

  /** Containers enforce made for this one and left: replacements, failed ones, locks (backups aside). */
  private List<String> strays(String container) {
    return DockerHarness.run(List.of("docker", "ps", "-a", "--filter", "name=" + container + ".capaudit-",
        "--format", "{{.Names}}"), 30).output().lines()
        .filter(n -> n.startsWith(container + ".capaudit-") && !n.contains(".capaudit-backup-")).toList();
  }

  /** The original, by id, runs under its name, and enforce left nothing of its own next to it. */
  private void assertOriginalRunsUnderItsName(String container, String originalId) {
    assertThat(idOf(container)).isEqualTo(originalId);
    assertThat(inspect(container, "{{.State.Running}}")).isEqualTo("true");
    assertThat(strays(container)).isEmpty();
  }

  @Test
  void enforcing_keeps_the_data_passes_the_audit_and_keeps_a_backup() throws Exception {
    String container = workloadWithData("enforce-data");
    String before = checksums(container);
    String oldId = idOf(container);
    Path json = temp.resolve("enforce.json");

    CliRunner run = enforce("--apply", "--json", json.toString(), container);

    assertThat(run.exitCode).as(run.out + run.err).isZero();
    assertThat(run.out).contains("step 4: renamed " + oldId.substring(0, 12) + " to " + container
        + ".capaudit-backup-").contains("re-audited the replacement: pass").contains(container + ": applied");
    assertThat(idOf(container)).isNotEqualTo(oldId);
    assertThat(checksums(container)).as("data intact, byte for byte").isEqualTo(before);
    assertThat(inspect(container, "{{.HostConfig.CapDrop}} {{.Config.Labels.app}}")).isEqualTo("[ALL] demo");
    String backup = inspect(oldId, "{{.Name}}").substring(1);
    assertThat(backup).startsWith(container + ".capaudit-backup-");
    assertThat(run.out).contains("the original is kept as " + backup);
    JsonNode target = JSON.readTree(json.toFile()).at("/targets/0");
    assertThat(target.path("verdict").asText()).isEqualTo("pass");
    assertThat(target.path("id").asText()).isEqualTo(idOf(container));
    assertThat(target.path("notes").toString()).contains("enforce: applied: the replacement passed the re-audit;"
        + " the original is kept as " + backup).contains("enforce step 7: committed");
    assertThat(strays(container)).isEmpty();
  }

  @Test
  void enforcing_twice_is_a_no_op() {
    String container = workloadWithData("enforce-twice");
    assertThat(enforce("--apply", "--remove-backup", container).exitCode).isZero();
    String id = idOf(container);

    CliRunner again = enforce("--apply", container);

    assertThat(again.exitCode).isZero();
    assertThat(again.out).contains("already complies").contains(container + ": unchanged");
    assertThat(idOf(container)).isEqualTo(id);
    assertThat(strays(container)).isEmpty();
  }

  @Test
  void a_workload_that_needs_a_dropped_capability_is_rolled_back() {
    // The workload checks every 200 ms that it still holds CAP_NET_RAW (bit 13) and exits 3 without it.
    String container = docker.run("needs-net-raw", "--entrypoint", "sh", DockerHarness.IMAGE, "-c",
        "while :; do eff=$(grep CapEff /proc/self/status | cut -f2); [ $(( 0x$eff >> 13 & 1 )) = 1 ] || exit 3;"
            + " sleep 0.2; done");
    String oldId = idOf(container);

    CliRunner run = enforce("--apply", container);

    assertThat(run.exitCode).as(run.out + run.err).isEqualTo(4);
    assertThat(run.out).contains("verification failed: it exited with code 3")
        .contains("renamed the original " + container + ".capaudit-backup-")
        .contains("started the original " + oldId.substring(0, 12) + " again")
        .contains(container + ": rolled back");
    assertOriginalRunsUnderItsName(container, oldId);
  }

  @Test
  void an_auto_remove_container_is_refused_and_left_as_it_was() {
    String container = workloadWithData("autoremove-refused", "--rm");
    String id = idOf(container);

    CliRunner run = enforce("--apply", container);

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("removes itself when it stops").contains("--allow-autoremove");
    assertOriginalRunsUnderItsName(container, id);
  }

  @Test
  void allow_autoremove_enforces_keeps_the_volumes_and_ends_with_auto_remove() {
    String container = workloadWithData("autoremove-applied", "--rm");
    String before = checksums(container);

    CliRunner run = enforce("--apply", "--allow-autoremove", container);

    assertThat(run.exitCode).as(run.out + run.err).isZero();
    assertThat(run.out).contains("without AutoRemove until it verifies").contains("re-audited the AutoRemove twin: pass")
        .contains("no backup: the original removed itself").doesNotContain("kept the backup");
    assertThat(inspect(container, "{{.HostConfig.AutoRemove}} {{.HostConfig.CapDrop}}")).isEqualTo("true [ALL]");
    assertThat(checksums(container)).isEqualTo(before);
    assertThat(DockerHarness.run(List.of("docker", "ps", "-a", "--filter", "name=" + container + ".capaudit-",
        "-q"), 30).output()).as("no backup, no intermediate, no lock").isBlank();
  }

  @Test
  void allow_autoremove_with_a_failing_replacement_brings_the_original_back_with_its_data() {
    String container = docker.run("autoremove-rollback", "--rm", "-v", "/anon", "--entrypoint", "sh",
        DockerHarness.IMAGE, "-c", "while :; do eff=$(grep CapEff /proc/self/status | cut -f2);"
            + " [ $(( 0x$eff >> 13 & 1 )) = 1 ] || exit 3; sleep 0.2; done");
    docker.docker("exec", container, "sh", "-c", "head -c 65536 /dev/urandom > /anon/data");
    String before = docker.docker("exec", container, "md5sum", "/anon/data");
    String volume = inspect(container, "{{range .Mounts}}{{.Name}}{{end}}");

    CliRunner run = enforce("--apply", "--allow-autoremove", container);

    assertThat(run.exitCode).as(run.out + run.err).isEqualTo(4);
    assertThat(run.out).contains("verification failed: it exited with code 3")
        .contains("recreated the original from its configuration as " + container).contains(": rolled back");
    assertThat(inspect(container, "{{.State.Running}} {{.HostConfig.AutoRemove}} {{.HostConfig.CapDrop}}"))
        .as("the original's own settings").isEqualTo("true true []");
    assertThat(inspect(container, "{{range .Mounts}}{{.Name}} mode={{.Mode}}{{end}}")).isEqualTo(volume + " mode=");
    assertThat(docker.docker("exec", container, "md5sum", "/anon/data")).isEqualTo(before);
    assertThat(strays(container)).isEmpty();
  }

  @Test
  void a_second_apply_while_the_first_runs_fails_fast_naming_it_and_leaves_nothing() throws Exception {
    String container = workloadWithData("enforce-concurrent");
    CapauditProcess first = CapauditProcess.start(temp.resolve("first.log"), Map.of(
        "CAPAUDIT_ENFORCE_PAUSE_AT", "after-step-2", "CAPAUDIT_ENFORCE_PAUSE_SECONDS", "5"),
        enforceArgs("--apply", container));
    first.awaitOutput("paused at after-step-2");

    CliRunner second = enforce("--apply", container);

    assertThat(second.exitCode).isEqualTo(1);
    assertThat(second.err).contains(container + " is being enforced by run ").contains("pid " + first.pid())
        .contains("holds " + container + ".capaudit-lock");
    assertThat(first.waitFor()).as(first.output()).isZero();
    String backup = first.output().replaceAll("(?s).*the original is kept as (\\S+).*", "$1");
    assertThat(inspect(backup, "{{.Name}}")).as("the winner's backup exists under the name it reported")
        .isEqualTo("/" + backup);
    assertThat(strays(container)).isEmpty();
  }

  @Test
  void two_applies_started_together_enforce_once_and_leave_nothing_behind() throws Exception {
    String container = workloadWithData("enforce-together");
    CapauditProcess a = CapauditProcess.start(temp.resolve("a.log"), Map.of(), enforceArgs("--apply", container));
    CapauditProcess b = CapauditProcess.start(temp.resolve("b.log"), Map.of(), enforceArgs("--apply", container));

    int exitA = a.waitFor();
    int exitB = b.waitFor();

    List<String> outputs = List.of(a.output(), b.output());
    assertThat(outputs).as("exactly one applied").filteredOn(o -> o.contains(container + ": applied")).hasSize(1);
    // The other one lost the race for the lock, or took the lock just after the winner let it go and found the
    // container replaced under its name, or came after the commit and found nothing to do. Never an engine error.
    assertThat(outputs).filteredOn(o -> !o.contains(container + ": applied")).singleElement().asString()
        .containsAnyOf("is being enforced by run", "changed while enforce took its lock", container + ": unchanged")
        .doesNotContain("engine answered");
    assertThat(List.of(exitA, exitB)).containsAnyOf(0).allMatch(code -> code == 0 || code == 1);
    String winner = outputs.stream().filter(o -> o.contains(container + ": applied")).findFirst().orElseThrow();
    String backup = winner.replaceAll("(?s).*the original is kept as (\\S+).*", "$1");
    assertThat(DockerHarness.run(List.of("docker", "ps", "-a", "--filter", "name=" + container + ".capaudit-backup-",
        "--format", "{{.Names}}"), 30).output().strip()).as("one backup, the one reported").isEqualTo(backup);
    assertThat(strays(container)).isEmpty();
  }

  @ParameterizedTest(name = "killed after step {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void after_a_crash_the_plan_reports_the_recovery_and_the_next_apply_recovers(int step) throws Exception {
    String container = workloadWithData("enforce-kill-" + step);
    String oldId = idOf(container);
    String data = checksums(container);

    int exit = CapauditProcess.start(temp.resolve("kill.log"), Map.of("CAPAUDIT_ENFORCE_HALT_AFTER_STEP",
        Integer.toString(step)), enforceArgs("--apply", container)).waitFor();

    assertThat(exit).as("the simulated crash").isEqualTo(99);
    boolean committed = step >= 7;
    String state = everything();
    CliRunner plan = enforce(container);
    assertThat(everything()).as("the plan changes nothing").isEqualTo(state);
    if (committed) {
      assertThat(plan.out).doesNotContain("recovery is pending");
    } else {
      assertThat(plan.out).contains(container + ": a recovery is pending: run ").contains("release the lock "
          + container + ".capaudit-lock");
    }

    CliRunner again = enforce("--apply", container);

    assertThat(again.exitCode).as(again.out + again.err).isZero();
    if (committed) {
      assertThat(again.out).contains("already complies");
    } else {
      assertThat(again.out).contains("recovery: rolling back the interrupted run ").contains(container + ": applied");
      assertThat(inspect(oldId, "{{.Name}}")).as("the original is the backup of the second run")
          .startsWith("/" + container + ".capaudit-backup-");
    }
    assertThat(idOf(container)).isNotEqualTo(oldId);
    assertThat(checksums(container)).isEqualTo(data);
    assertThat(strays(container)).isEmpty();
  }

  /** Runs enforce --apply in its own process, pauses it at the point and sends it SIGTERM there. */
  private CapauditProcess terminatedAt(String point, String container) throws Exception {
    CapauditProcess run = CapauditProcess.start(temp.resolve("term.log"), Map.of("CAPAUDIT_ENFORCE_PAUSE_AT",
        point), enforceArgs("--apply", container));
    run.awaitOutput("paused at " + point);
    run.terminate();
    assertThat(run.waitFor()).as("the JVM's exit on SIGTERM").isEqualTo(143);
    return run;
  }

  @ParameterizedTest(name = "SIGTERM at {0}")
  @ValueSource(strings = {"in-lock", "after-step-1", "in-create", "after-step-2", "in-stop", "after-step-3",
      "in-swap", "after-step-4", "in-start", "after-step-5", "in-verify", "after-step-6"})
  void sigterm_before_the_commit_leaves_the_original_running_under_its_name(String point) throws Exception {
    String container = workloadWithData("term-" + point);
    String oldId = idOf(container);
    String data = checksums(container);

    CapauditProcess run = terminatedAt(point, container);

    assertThat(run.output()).contains("interrupted: released the lock " + container + ".capaudit-lock");
    assertOriginalRunsUnderItsName(container, oldId);
    assertThat(checksums(container)).isEqualTo(data);
    assertThat(DockerHarness.run(List.of("docker", "ps", "-a", "--filter", "name=" + container + ".capaudit-backup-",
        "-q"), 30).output()).as("no backup: the original is back").isBlank();
  }

  @ParameterizedTest(name = "SIGTERM at {0}")
  @ValueSource(strings = {"in-commit", "after-step-7"})
  void sigterm_after_the_commit_leaves_the_verified_replacement(String point) throws Exception {
    String container = workloadWithData("term-" + point);
    String oldId = idOf(container);

    terminatedAt(point, container);

    assertThat(idOf(container)).isNotEqualTo(oldId);
    assertThat(inspect(container, "{{.State.Running}} {{.HostConfig.CapDrop}}")).isEqualTo("true [ALL]");
    assertThat(inspect(oldId, "{{.Name}}")).startsWith("/" + container + ".capaudit-backup-");
    assertThat(strays(container)).isEmpty();
  }

  @Test
  void sigterm_while_the_engine_stops_the_original_waits_for_the_stop_then_restarts_it() throws Exception {
    String container = cleanShutdown("term-during-stop", "--stop-timeout", "30");
    String oldId = idOf(container);
    CapauditProcess run = CapauditProcess.start(temp.resolve("term.log"), Map.of(), "enforce", "--policy",
        "cis-docker", "--grace", "2", "--apply", container);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!docker.docker("logs", container).contains("got-term") && System.nanoTime() < deadline) {
      DockerHarness.sleep(50);
    }

    run.terminate(); // the stop request is in the engine: the container is in its 2.5 s shutdown

    assertThat(run.waitFor()).isEqualTo(143);
    assertThat(docker.docker("logs", container)).as("the shutdown was not cut short").contains("clean-exit");
    assertOriginalRunsUnderItsName(container, oldId);
  }

  @Test
  void the_containers_own_stop_timeout_of_30_s_lets_its_shutdown_handler_finish() {
    String container = cleanShutdown("stop-timeout-30", "--stop-timeout", "30");
    String oldId = idOf(container);

    CliRunner run = CliRunner.run("enforce", "--policy", "cis-docker", "--grace", "2", "--apply", container);

    assertThat(run.exitCode).as(run.out + run.err).isZero();
    assertThat(run.out).contains("then 30 s before SIGKILL (its own StopTimeout)").contains("(stop timeout 30 s)");
    assertThat(inspect(oldId, "{{.State.ExitCode}}")).as("not SIGKILLed (137)").isEqualTo("0");
    assertThat(docker.docker("logs", oldId)).contains("clean-exit");
  }

  @Test
  void stop_timeout_overrides_the_containers_own() {
    String container = cleanShutdown("stop-timeout-override", "--stop-timeout", "30");
    String oldId = idOf(container);

    CliRunner run = CliRunner.run("enforce", "--policy", "cis-docker", "--grace", "2", "--stop-timeout", "1",
        "--apply", container);

    assertThat(run.exitCode).as(run.out + run.err).isZero();
    assertThat(inspect(oldId, "{{.State.ExitCode}}")).as("killed after 1 s, inside its 2.5 s handler")
        .isEqualTo("137");
  }

  /** The container's mounts, sorted: inspect lists them in no fixed order. */
  private String mounts(String container) {
    return List.of(inspect(container, "{{range .Mounts}}{{.Type}} {{.Destination}} {{.Name}} mode={{.Mode}}"
        + " rw={{.RW}};{{end}}").split(";")).stream().sorted().toList().toString();
  }

  @Test
  void volumes_keep_their_modes_and_the_anonymous_one_belongs_to_the_replacement() {
    String container = workloadWithData("enforce-volumes");
    String before = mounts(container);
    String anonymous = inspect(container, "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}");
    String data = checksums(container);

    CliRunner run = enforce("--apply", "--remove-backup", container);

    assertThat(run.exitCode).as(run.out + run.err).isZero();
    assertThat(mounts(container)).as("the same volumes, modes and rw").isEqualTo(before);
    assertThat(before).contains("/anon " + anonymous + " mode= rw=true").contains("/named capaudit-it-");
    assertThat(checksums(container)).isEqualTo(data);
    assertThat(DockerHarness.run(List.of("docker", "volume", "ls", "-q", "--filter", "dangling=true"), 30).output())
        .as("the anonymous volume is in use, not dangling").doesNotContain(anonymous);
    assertThat(DockerHarness.run(List.of("docker", "ps", "-a", "-q", "--filter", "volume=" + anonymous), 30).output()
        .strip()).isEqualTo(idOf(container).substring(0, 12));

    docker.docker("rm", "-f", "-v", container);

    assertThat(DockerHarness.run(List.of("docker", "volume", "inspect", anonymous), 30).exitCode())
        .as("removed with its owner, as it would have been with the original").isNotZero();
  }

  @Test
  void the_plan_and_apply_without_a_record_change_nothing_even_with_a_backup_and_a_free_name() {
    // The enforced container was renamed by its owner; a backup-named container and a replacement look-alike
    // (another run's labels) exist, but no run record: nothing here is an interrupted enforce.
    String name = "enforce-free-name-" + docker.runId();
    docker.run("enforce-free-name-moved", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    docker.docker("create", "--name", name + ".capaudit-backup-20250101T000000Z-abcdef", "--label",
        DockerHarness.LABEL + "=" + docker.runId(), "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    docker.docker("create", "--name", name + ".capaudit-new-20250101T000000Z-abcdef", "--label",
        DockerHarness.LABEL + "=" + docker.runId(), "--label", "capaudit.enforce.run=0000aaaa1111", "--label",
        "capaudit.enforce.role=replacement", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    String state = everything();

    CliRunner plan = CliRunner.run("enforce", "--policy", "cis-docker", name);
    CliRunner apply = CliRunner.run("enforce", "--policy", "cis-docker", "--apply", name);

    assertThat(everything()).isEqualTo(state);
    assertThat(plan.out + plan.err).doesNotContain("recovery").contains(name);
    assertThat(plan.exitCode).isEqualTo(5);
    assertThat(apply.exitCode).isEqualTo(1);
    assertThat(apply.err).contains("no container " + name);
  }

  @Test
  void the_entrypoint_shim_makes_the_workload_pass_under_the_permissive_runtime() throws Exception {
    String source = docker.run("shim-source", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    CliRunner emitted = CliRunner.run("enforce", "--policy", "nemoclaw-sandbox", "--emit", "entrypoint", source);
    String shim = emitted.out.substring(emitted.out.indexOf("#!/bin/sh"),
        emitted.out.indexOf("# ---- Dockerfile lines"));
    Path context = Files.createDirectories(temp.resolve("shim"));
    Files.writeString(context.resolve("capaudit-entrypoint.sh"), shim);
    Files.writeString(context.resolve("Dockerfile"), "FROM " + DockerHarness.IMAGE + "\n"
        + "COPY capaudit-entrypoint.sh /usr/local/bin/capaudit-entrypoint.sh\n"
        + "RUN [\"/bin/chmod\", \"0755\", \"/usr/local/bin/capaudit-entrypoint.sh\"]\n"
        + "ENV CAPAUDIT_RUN_AS=sandbox\nENTRYPOINT [\"/usr/local/bin/capaudit-entrypoint.sh\"]\n"
        + "CMD [\"sleep\", \"1000000\"]\n");
    String image = "capaudit-test-shim:" + docker.runId();
    DockerHarness.Result built = DockerHarness.run(List.of("env", "DOCKER_BUILDKIT=0", "docker", "build",
        "--network", "none", "-q", "-t", image, context.toString()), 120);
    assertThat(built.exitCode()).as(built.output()).isZero();
    Path json = temp.resolve("shim.json");

    try {
      CliRunner.run("image", "--policy", "nemoclaw-sandbox", "--profile", "permissive", "--json", json.toString(),
          image);
      LiveReport report = new LiveReport(0, JSON.readTree(json.toFile()), "", "");
      var target = report.root().at("/targets/0");
      assertThat(LiveReport.process(target, 1).path("uid").asInt()).isEqualTo(1000);
      assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x100");
      assertThat(LiveReport.findings(target)).as("the workload's processes pass")
          .noneMatch(f -> f.contains(" process "));
    } finally {
      DockerHarness.run(List.of("docker", "rmi", "-f", image), 60);
    }
  }

  @Test
  void emits_a_compose_override_for_the_compose_service() {
    String container = docker.run("compose-like", "--label", "com.docker.compose.service=agent",
        "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");

    CliRunner run = CliRunner.run("enforce", "--policy", "nemoclaw-sandbox", "--emit", "compose", "--emit", "run",
        "--emit", "k8s", "--no-new-privileges", container);

    assertThat(run.out).contains("services:\n  agent:\n    cap_drop:\n    - ALL\n    cap_add:\n    - CHOWN\n")
        .contains("    security_opt:\n    - no-new-privileges:true")
        .contains("--cap-drop ALL --cap-add CHOWN --cap-add FOWNER --cap-add KILL --cap-add SETGID --cap-add SETUID"
            + " --cap-add SETPCAP --security-opt no-new-privileges")
        .contains("  allowPrivilegeEscalation: false\n  capabilities:\n    drop:\n    - ALL");
  }
}

package dev.capaudit.scanner.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.scanner.TestFiles;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.policy.PolicyFiles;
import dev.capaudit.scanner.watch.FindingId;
import dev.capaudit.scanner.watch.WatchChange;
import dev.capaudit.scanner.watch.WatchLoop;
import dev.capaudit.scanner.watch.WatchSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch's loop against the fake engine and a fake host: events in, lines out. Kept beside the live scan's tests
 * because the fakes it drives are this package's.
 */
class WatchLoopTest {
  private static final String ID = "a".repeat(64);
  private static final String OTHER = "b".repeat(64);
  private static final String NS = "pid:[4026532500]";
  private static final String DEFAULTS = "a80425fb";
  private static final String PERMISSIVE = "a82c25fb";
  private static final String EXEC = "e".repeat(64);

  @TempDir
  Path temp;

  private FakeHost host;
  private FakeEngine engine;
  private final BlockingQueue<WatchChange> changes = new LinkedBlockingQueue<>();
  private WatchLoop loop;
  private Thread running;

  @BeforeEach
  void setUp() {
    host = new FakeHost(temp);
    engine = new FakeEngine();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (loop != null) {
      loop.stop();
      running.join(10_000);
      assertThat(running.isAlive()).as("the loop stops").isFalse();
    }
  }

  private void watch(WatchSettings settings, Predicate<WatchChange> blockOn, CountDownLatch release) throws Exception {
    loop = new WatchLoop(() -> {
      if (engine.down) {
        throw new IOException("no engine answered at " + engine.host());
      }
      return engine;
    }, Optional.empty(), settings, ScanSettings.defaults(List.of()).withExecViewMode(ExecViewMode.DERIVE)
        .withRuntimeRoots(List.of(temp.resolve("state"))), host.hostProc(),
        new Auditor(PolicyFiles.parse(TestFiles.read("policies/nemoclaw-sandbox.yaml"), "nemoclaw-sandbox")),
        change -> {
          changes.add(change);
          if (blockOn.test(change)) {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }, Clock.systemUTC());
    running = new Thread(loop::run, "watch-under-test");
    running.start();
  }

  private void watch() throws Exception {
    watch(settings(), change -> false, new CountDownLatch(0));
  }

  private static WatchSettings settings() {
    return WatchSettings.defaults(Map.of()).withWaits(Duration.ofSeconds(3), Duration.ofMillis(200),
        Duration.ofMillis(100));
  }

  /** A running root container: host pid 100 under Docker's cgroup naming, in its own namespace. */
  private void container(String id, String name, String sets) {
    engine.container(id, name, "running", id.equals(ID) ? 100 : 200, "", List.of(), List.of(), "");
    host.process(id.equals(ID) ? 100 : 200, 90, List.of(id.equals(ID) ? 100 : 200, 1), id.equals(ID) ? NS
        : "pid:[4026532501]", 0, "/docker/" + id, sets, sets);
  }

  private <T extends WatchChange> T next(Class<T> type, Predicate<T> matching) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      WatchChange change = changes.poll(100, TimeUnit.MILLISECONDS);
      if (type.isInstance(change) && matching.test(type.cast(change))) {
        return type.cast(change);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " as expected within 10 s; left: " + changes);
  }

  private static Map<String, String> named(String name) {
    return Map.of("name", name);
  }

  @Test
  void a_started_container_is_audited_once_settled_and_an_audit_with_the_same_result_says_nothing() throws Exception {
    container(OTHER, "already", DEFAULTS);
    watch();
    WatchChange.Audited first = next(WatchChange.Audited.class, a -> a.result().target().id().equals(OTHER));
    assertThat(first.trigger()).isEqualTo("rescan");
    assertThat(first.first()).isTrue();

    // pid 1 holds SYS_ADMIN, which the configuration (Docker's defaults) does not grant: only its own finding.
    container(ID, "agent", PERMISSIVE);
    long started = System.nanoTime();
    engine.emit("start", ID, named("agent"));
    WatchChange.Audited audited = next(WatchChange.Audited.class, a -> a.result().target().id().equals(ID));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("settled for a second first")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(audited.trigger()).isEqualTo("start");
    assertThat(audited.result().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(audited.added()).contains(new FindingId("must-drop-present", "CAP_NET_RAW", "high"),
        new FindingId("must-drop-present", "CAP_SYS_ADMIN", "high"));
    assertThat(audited.fixed()).isEmpty();

    long audits = loop.totals().auditTimes().count();
    engine.emit("unpause", ID, named("agent"));
    awaitAudits(audits + 1);
    assertThat(changes).as("the unpause's audit found what the start's did").isEmpty();

    // pid 1 drops SYS_ADMIN: the next audit says what was fixed, and only that.
    host.process(100, 90, List.of(100, 1), NS, 0, "/docker/" + ID, DEFAULTS, DEFAULTS);
    engine.emit("unpause", ID, named("agent"));
    WatchChange.Audited fixed = next(WatchChange.Audited.class, a -> a.result().target().id().equals(ID));
    assertThat(fixed.first()).isFalse();
    assertThat(fixed.trigger()).isEqualTo("unpause");
    assertThat(fixed.fixed()).containsExactly(new FindingId("must-drop-present", "CAP_SYS_ADMIN", "high"),
        new FindingId("must-drop-present", "CAP_SYS_PTRACE", "high"));
    assertThat(fixed.added()).isEmpty();
    assertThat(loop.totals().targets()).containsEntry(Verdict.FAIL, 2);
  }

  private void awaitAudits(long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (loop.totals().auditTimes().count() < count) {
      assertThat(System.nanoTime()).as("audit " + count + " within 10 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void an_exec_session_is_judged_by_its_own_process_as_an_exec_shell_and_set_apart_from_the_containers()
      throws Exception {
    container(ID, "agent", "0");
    watch();
    WatchChange.Audited clean = next(WatchChange.Audited.class, a -> a.result().target().id().equals(ID));
    assertThat(clean.result().target().processes()).hasSize(1);
    // runc's exec: the shell's parent is the shim (90), it is in the container's cgroup and namespace.
    host.process(150, 90, List.of(150, 7), NS, 0, "/docker/" + ID, PERMISSIVE, PERMISSIVE).name("sh");
    engine.execSessions.put(EXEC, new DockerEngine.ExecSession(EXEC, ID, true, 150, "", false, List.of("sh"),
        OptionalLong.empty()));

    engine.emit("exec_start: sh", ID, Map.of("name", "agent", "execID", EXEC));
    WatchChange.ExecOpened opened = next(WatchChange.ExecOpened.class, o -> true);

    assertThat(opened.exec().id()).isEqualTo(EXEC);
    assertThat(opened.exec().hostPid()).hasValue(150);
    assertThat(opened.exec().processName()).isEqualTo("sh");
    assertThat(opened.exec().user()).as("the container's own user, root").isEqualTo("0");
    assertThat(opened.result().target().exec()).singleElement().satisfies(view -> {
      assertThat(view.source()).isEqualTo(ObservationSource.HOST_PROC);
      assertThat(view.root()).isTrue();
      assertThat(view.capabilities().getOrEmpty(CapabilitySetKind.BOUNDING).toString()).isEqualTo("0x" + PERMISSIVE);
    });
    assertThat(opened.result().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(opened.result().findings()).anySatisfy(f -> {
      assertThat(f.capability().name()).isEqualTo("CAP_SYS_ADMIN");
      assertThat(f.first().context().id()).isEqualTo("root-exec");
    });
    assertThat(opened.result().target().config()).as("the container's configuration is its own line's").isEmpty();

    engine.emit("exec_start: sh", ID, Map.of("name", "agent", "execID", EXEC));
    long audits = loop.totals().auditTimes().count();
    engine.emit("unpause", ID, named("agent"));
    awaitAudits(audits + 1);
    assertThat(changes).as("a replayed exec_start is not audited twice; the shell is not the container's process")
        .isEmpty();
    assertThat(loop.totals().execSessions()).containsEntry(Verdict.FAIL, 1L);
  }

  @Test
  void the_watchs_own_probe_is_not_audited_as_an_exec_session() throws Exception {
    container(ID, "agent", "0");
    watch();
    next(WatchChange.Audited.class, a -> true);
    host.process(150, 90, List.of(150, 7), NS, 0, "/docker/" + ID, PERMISSIVE, PERMISSIVE).name("cat");
    engine.execSessions.put(EXEC, new DockerEngine.ExecSession(EXEC, ID, true, 150, "", false,
        List.of("cat", "/proc/self/status"), OptionalLong.empty()));
    engine.ownExecs.add(EXEC);

    engine.emit("exec_start: cat /proc/self/status", ID, Map.of("name", "agent", "execID", EXEC));
    long audits = loop.totals().auditTimes().count();
    engine.emit("unpause", ID, named("agent"));
    awaitAudits(audits + 1);

    assertThat(changes).as("no line for capaudit's own probe").noneMatch(WatchChange.ExecOpened.class::isInstance);
    assertThat(loop.totals().execSessions()).isEmpty();
  }

  @Test
  void an_exec_whose_process_this_host_does_not_show_in_the_container_is_an_error_never_a_pass() throws Exception {
    container(ID, "agent", "0");
    watch();
    next(WatchChange.Audited.class, a -> true);
    host.process(160, 1, List.of(160), FakeHost.HOST_NS, 0, "", "0", "0").name("unrelated");
    engine.execSessions.put(EXEC, new DockerEngine.ExecSession(EXEC, ID, true, 160, "sandbox", false,
        List.of("sh"), OptionalLong.empty()));

    engine.emit("exec_start: sh", ID, Map.of("name", "agent", "execID", EXEC));
    WatchChange.ExecOpened opened = next(WatchChange.ExecOpened.class, o -> true);

    assertThat(opened.result().verdict()).isEqualTo(Verdict.ERROR);
    assertThat(opened.result().target().errors()).singleElement().asString().contains("not in the container's cgroup");
    assertThat(opened.exec().user()).isEqualTo("sandbox");
  }

  @Test
  void a_dead_container_is_said_and_forgotten_and_its_exit_code_kept() throws Exception {
    container(ID, "agent", DEFAULTS);
    watch();
    next(WatchChange.Audited.class, a -> true);

    engine.emit("die", ID, Map.of("name", "agent", "exitCode", "137"));
    WatchChange.Stopped stopped = next(WatchChange.Stopped.class, s -> true);

    assertThat(stopped.name()).isEqualTo("agent");
    assertThat(stopped.exitCode()).hasValue(137);
    assertThat(stopped.removed()).isFalse();
    assertThat(loop.totals().targets()).isEmpty();
    engine.emit("destroy", ID, named("agent"));
    Thread.sleep(300);
    assertThat(changes).as("destroyed after it died: nothing more to say").isEmpty();
  }

  @Test
  void the_engine_going_away_is_said_and_its_return_too_and_what_started_meanwhile_is_found() throws Exception {
    container(ID, "agent", DEFAULTS);
    watch();
    next(WatchChange.Audited.class, a -> true);

    engine.goDown();
    WatchChange.Problem lost = next(WatchChange.Problem.class, p -> true);
    assertThat(lost.message()).startsWith("lost the engine: Connection reset by peer; trying again in");
    assertThat(loop.totals().engineUp()).isFalse();
    container(OTHER, "meanwhile", PERMISSIVE);
    engine.up();

    WatchChange.Reconnected back = next(WatchChange.Reconnected.class, r -> true);
    assertThat(back.engine()).isEqualTo(engine.host());
    WatchChange.Audited found = next(WatchChange.Audited.class, a -> a.result().target().id().equals(OTHER));
    assertThat(found.trigger()).isEqualTo("rescan");
    assertThat(engine.subscriptions).as("the new stream replays from the last event seen").hasSizeGreaterThan(1);
    assertThat(loop.totals().reconnects()).isEqualTo(1);
    assertThat(loop.totals().engineUp()).isTrue();
  }

  @Test
  void events_beyond_the_limit_are_dropped_counted_and_followed_by_a_rescan() throws Exception {
    container(ID, "agent", DEFAULTS);
    CountDownLatch release = new CountDownLatch(1);
    WatchSettings few = new WatchSettings(Duration.ofSeconds(60), Duration.ofSeconds(3), Duration.ofMillis(200),
        Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(1), Map.of(), 2, 3);
    watch(few, change -> change instanceof WatchChange.Audited, release);
    next(WatchChange.Audited.class, a -> true);
    // The listener holds the loop: events pile up beyond the limit of 3.
    for (int i = 0; i < 10; i++) {
      engine.emit("unpause", ID, named("agent"));
    }
    release.countDown();

    WatchChange.Problem dropped = next(WatchChange.Problem.class, p -> true);
    assertThat(dropped.message()).startsWith("events came faster than they could be audited: 7 dropped so far");
    assertThat(loop.totals().eventsMissed()).isEqualTo(7);
  }

  @Test
  void an_audit_that_cannot_read_the_container_is_an_error_line_and_the_watch_goes_on() throws Exception {
    watch();
    // Nothing granted, so nothing to find: but its pid 1's status is truncated, so it cannot pass either.
    engine.container(ID, "broken", "running", 100, "", List.of(), List.of("ALL"), "");
    host.process(100, 90, List.of(100, 1), NS, 0, "/docker/" + ID, "0", "0");
    FakeHost.write(temp.resolve("proc/100/status"), "Name:\tbroken\nPid:\t100\n");
    engine.emit("start", ID, named("broken"));
    WatchChange.Audited audited = next(WatchChange.Audited.class, a -> true);
    assertThat(audited.result().verdict()).isEqualTo(Verdict.ERROR);
    assertThat(audited.result().incomplete()).isPresent();

    container(OTHER, "next", DEFAULTS);
    engine.emit("start", OTHER, named("next"));
    assertThat(next(WatchChange.Audited.class, a -> a.result().target().id().equals(OTHER)).result().verdict())
        .isEqualTo(Verdict.FAIL);
    assertThat(running.isAlive()).isTrue();
  }
}

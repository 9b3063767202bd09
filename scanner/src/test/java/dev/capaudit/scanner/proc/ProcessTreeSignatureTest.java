package dev.capaudit.scanner.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeSignatureTest {
  private static final String ROOT_CAPS = "00000000a80425fb";

  @TempDir
  Path root;

  @Test
  void names_every_thread_of_every_process_in_the_namespace() throws Exception {
    FakeProc proc = new FakeProc(root).process(100, "1", ROOT_CAPS).thread(100, 100, 0, ROOT_CAPS)
        .thread(100, 101, 0, ROOT_CAPS).process(120, "1", ROOT_CAPS).thread(120, 120, 0, ROOT_CAPS);

    String signature = ProcessTreeSignature.of(proc.hostProc(), 100).orElseThrow();

    assertThat(signature.lines().map(line -> line.substring(0, line.indexOf(' '))))
        .containsExactly("100/100", "100/101", "120/120");
  }

  @Test
  void a_thread_that_steps_down_after_its_leader_changes_the_signature() throws Exception {
    FakeProc proc = new FakeProc(root).process(100, "1", ROOT_CAPS).thread(100, 100, 1000, "0000000000000000")
        .thread(100, 101, 0, ROOT_CAPS);
    String before = ProcessTreeSignature.of(proc.hostProc(), 100).orElseThrow();

    proc.thread(100, 101, 1000, "0000000000000000");

    String after = ProcessTreeSignature.of(proc.hostProc(), 100).orElseThrow();
    assertThat(after).isNotEqualTo(before).contains("100/101 Name:\tworker;Uid:\t1000");
  }

  @Test
  void processes_of_another_pid_namespace_do_not_count() throws Exception {
    FakeProc proc = new FakeProc(root).process(100, "1", ROOT_CAPS).thread(100, 100, 0, ROOT_CAPS)
        .process(200, "2", ROOT_CAPS).thread(200, 200, 0, ROOT_CAPS);
    String before = ProcessTreeSignature.of(proc.hostProc(), 100).orElseThrow();

    proc.thread(200, 201, 0, ROOT_CAPS);

    assertThat(ProcessTreeSignature.of(proc.hostProc(), 100)).contains(before);
    assertThat(before).doesNotContain("200/");
  }

  @Test
  void a_process_without_a_readable_task_list_counts_by_its_own_status() throws Exception {
    FakeProc proc = new FakeProc(root).process(100, "1", ROOT_CAPS);

    assertThat(ProcessTreeSignature.of(proc.hostProc(), 100).orElseThrow())
        .isEqualTo("100 Name:\tsleep;Uid:\t0\t0\t0\t0;CapInh:\t0000000000000000;CapPrm:\t" + ROOT_CAPS + ";CapEff:\t"
            + ROOT_CAPS + ";CapBnd:\t00000000a80425fb;CapAmb:\t0000000000000000;NoNewPrivs:\t0;");
  }

  @Test
  void is_empty_when_pid_1_is_gone() throws Exception {
    assertThat(ProcessTreeSignature.of(new FakeProc(root).hostProc(), 100)).isEmpty();
  }
}

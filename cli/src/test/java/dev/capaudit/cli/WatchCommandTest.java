package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usage errors of capaudit watch, found before any engine is asked. */
class WatchCommandTest {
  @Test
  void an_unknown_format_is_a_usage_error() {
    CliRunner run = CliRunner.run("watch", "--format", "xml");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("--format must be line or jsonl, not 'xml'");
  }

  @Test
  void metrics_on_a_port_without_its_host_is_refused() {
    CliRunner run = CliRunner.run("watch", "--metrics", ":9100");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("names no host").contains("127.0.0.1:9100");
  }

  @Test
  void intervals_timeouts_and_a_shell_without_a_command_are_checked() {
    assertThat(CliRunner.run("watch", "--interval", "0").err).contains("--interval must be 1 to 86400 seconds");
    assertThat(CliRunner.run("watch", "--on-violation-timeout", "0").exitCode).isEqualTo(2);
    assertThat(CliRunner.run("watch", "--on-violation-shell").err).contains("needs --on-violation CMD");
    assertThat(CliRunner.run("watch", "--severity", "urgent").err).contains("--severity must be");
  }

  @Test
  void a_named_engine_that_does_not_answer_is_a_tool_error_never_a_watch_of_nothing() {
    CliRunner run = CliRunner.run("watch", "--host", "unix:///nonexistent/capaudit-watch.sock",
        "--connect-timeout", "1", "--read-timeout", "1");

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).contains("no Docker engine answered at unix:///nonexistent/capaudit-watch.sock");
  }

  @Test
  void watch_is_listed_with_the_exit_codes() {
    CliRunner run = CliRunner.run("watch", "--help");

    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("--on-violation=CMD", "--metrics=[HOST:]PORT", "Exit Codes:");
  }
}

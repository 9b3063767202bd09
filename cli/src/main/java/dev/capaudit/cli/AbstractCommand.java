package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Fixes the flow of every subcommand: run, then map known problems to one line, shown as text (no control
 * character of it reaches the terminal), and an exit code.
 */
abstract class AbstractCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      return execute().code();
    } catch (CliProblem problem) {
      // Problems carry engine error bodies, file and container names: escaped here, once, for every command.
      err().println("capaudit: " + Printable.of(problem.getMessage()));
      return problem.exitCode().code();
    }
  }

  protected abstract ExitCode execute() throws CliProblem;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}

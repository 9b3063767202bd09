package dev.capaudit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Fixes the flow of every subcommand: run, then map known problems to one line and an exit code. */
abstract class AbstractCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      return execute().code();
    } catch (CliProblem problem) {
      err().println("capaudit: " + problem.getMessage());
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

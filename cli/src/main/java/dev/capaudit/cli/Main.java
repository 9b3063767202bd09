package dev.capaudit.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the capaudit command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(mainWithoutExit(args));
  }

  // package private for tests: runs the command without calling System.exit
  static int mainWithoutExit(String[] args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new CapauditCommand());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExitCodeExceptionMapper(e -> ExitCode.TOOL_ERROR.code());
    commandLine.setParameterExceptionHandler(new ShortUsageErrorHandler());
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      // Anything that reaches here is a bug in capaudit: say so in one line, without a stack trace for users.
      cmd.getErr().println("capaudit: internal error: " + e);
      if (System.getenv("CAPAUDIT_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      }
      return ExitCode.TOOL_ERROR.code();
    });
    return commandLine;
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = commandLine();
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine;
  }
}

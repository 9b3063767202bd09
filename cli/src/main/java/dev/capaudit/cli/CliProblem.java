package dev.capaudit.cli;

/**
 * A failure to report to the user as one line, with the exit code it means; never a stack trace. The message may
 * hold untrusted text as it is: {@link AbstractCommand} escapes it for the terminal.
 */
public class CliProblem extends Exception {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  public CliProblem(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  public static CliProblem usage(String message) {
    return new CliProblem(ExitCode.USAGE_ERROR, message);
  }

  public static CliProblem tool(String message) {
    return new CliProblem(ExitCode.TOOL_ERROR, message);
  }
}

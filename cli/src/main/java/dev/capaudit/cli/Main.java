package dev.capaudit.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

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
    commandLine.setExecutionStrategy(Main::execute);
    withExitCodes(commandLine, exitCodes());
    return commandLine;
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = commandLine();
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine;
  }

  /** Runs the chosen command with its standard error and progress choice at hand (see {@link RunStreams}). */
  private static int execute(ParseResult parseResult) {
    ParseResult last = parseResult;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    boolean silent = last.hasMatchedOption("--quiet") || last.hasMatchedOption("--no-progress");
    CommandLine command = last.commandSpec().commandLine();
    try {
      return RunStreams.during(command.getErr(), silent, () -> new CommandLine.RunLast().execute(parseResult));
    } catch (CommandLine.ExecutionException | CommandLine.ParameterException e) {
      throw e;
    } catch (Exception e) {
      throw new CommandLine.ExecutionException(command, "capaudit: " + e.getMessage(), e);
    }
  }

  /** The exit codes, from the enum, in every command's --help: a script calling any subcommand needs them. */
  private static Map<String, String> exitCodes() {
    Map<String, String> codes = new LinkedHashMap<>();
    for (ExitCode code : ExitCode.values()) {
      codes.put(Integer.toString(code.code()), code.meaning());
    }
    return codes;
  }

  private static void withExitCodes(CommandLine commandLine, Map<String, String> codes) {
    commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit Codes:%n").exitCodeList(codes);
    commandLine.getSubcommands().values().forEach(sub -> withExitCodes(sub, codes));
  }
}

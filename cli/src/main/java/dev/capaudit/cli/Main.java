package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** Entry point of the capaudit command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(mainWithoutExit(args));
  }

  // package private for tests: runs the command without calling System.exit
  static int mainWithoutExit(String[] args) {
    return commandLine(only(args)).execute(args);
  }

  /** Every command, as the help lists them. */
  static CommandLine commandLine() {
    return commandLine(CapauditCommand.SUBCOMMANDS);
  }

  /**
   * The one command the arguments name, when they start with its name: picocli reads every option of every command
   * it is given, which is a tenth of a short run's time. Anything else (help, a typo, an option) gets them all.
   */
  private static List<Class<?>> only(String[] args) {
    if (args.length == 0 || args[0].startsWith("-") || "help".equals(args[0])) {
      return CapauditCommand.SUBCOMMANDS;
    }
    for (Class<?> command : CapauditCommand.SUBCOMMANDS) {
      Command annotation = command.getAnnotation(Command.class);
      if (annotation != null && annotation.name().equals(args[0])) {
        return List.of(command);
      }
    }
    return CapauditCommand.SUBCOMMANDS;
  }

  private static CommandLine commandLine(List<Class<?>> subcommands) {
    CommandLine commandLine = new CommandLine(new CapauditCommand());
    subcommands.forEach(commandLine::addSubcommand);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExitCodeExceptionMapper(e -> ExitCode.TOOL_ERROR.code());
    commandLine.setParameterExceptionHandler(new ShortUsageErrorHandler());
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      // Anything that reaches here is a bug in capaudit: say so in one line, without a stack trace for users.
      // The exception's message can quote a container's name or an engine's answer: shown as text.
      cmd.getErr().println("capaudit: internal error: " + Printable.of(String.valueOf(e)));
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
    Optional<ReportOptions> reports = last.isUsageHelpRequested() || last.isVersionHelpRequested() ? Optional.empty()
        : reportOptions(last.commandSpec());
    if (reports.isPresent()) {
      try {
        reports.get().checkWritable();
      } catch (CliProblem problem) {
        command.getErr().println("capaudit: " + Printable.of(problem.getMessage()));
        return problem.exitCode().code();
      }
    }
    try {
      return RunStreams.during(command.getErr(), silent, () -> new CommandLine.RunLast().execute(parseResult));
    } catch (CommandLine.ExecutionException | CommandLine.ParameterException e) {
      throw e;
    } catch (Exception e) {
      throw new CommandLine.ExecutionException(command, "capaudit: " + e.getMessage(), e);
    }
  }

  /** The report options of a command, found among its mixins at any depth ({@code AuditOptions} nests them). */
  private static Optional<ReportOptions> reportOptions(CommandSpec spec) {
    for (CommandSpec mixin : spec.mixins().values()) {
      if (mixin.userObject() instanceof ReportOptions options) {
        return Optional.of(options);
      }
      Optional<ReportOptions> nested = reportOptions(mixin);
      if (nested.isPresent()) {
        return nested;
      }
    }
    return Optional.empty();
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

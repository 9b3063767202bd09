package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Prints a usage error in a few lines (message, suggestions, synopsis) instead of the whole help; exits 2. */
final class ShortUsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    // The message quotes what was typed (or pasted from a hostile README): shown as text, not interpreted.
    err.println("capaudit: " + Printable.of(ex.getMessage()));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.print(cmd.getHelp().fullSynopsis());
    err.printf("Run '%s --help' for more information.%n", cmd.getCommandSpec().qualifiedName());
    return ExitCode.USAGE_ERROR.code();
  }
}

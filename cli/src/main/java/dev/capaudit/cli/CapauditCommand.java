package dev.capaudit.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The root command; it only holds the subcommands, which {@link Main} registers ({@link #SUBCOMMANDS}) and gives the
 * exit codes in every command's help.
 */
@Command(name = "capaudit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Audits the Linux capabilities of containers against a policy (CIS Docker Benchmark 5.3, 5.4 in"
        + " CIS 1.6): every process of every container, and what a docker exec shell gets.")
public final class CapauditCommand {
  /** Every subcommand, in the order the help lists them. */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      ScanCommand.class,
      HostCommand.class,
      EnforceCommand.class,
      WarmUpCommand.class,
      WatchCommand.class,
      ImageCommand.class,
      MinimizeCommand.class,
      DiffCommand.class,
      MergeCommand.class,
      DecodeCommand.class,
      PolicyCommand.class,
      RulesCommand.class,
      CommandLine.HelpCommand.class,
      AutoComplete.GenerateCompletion.class);
}

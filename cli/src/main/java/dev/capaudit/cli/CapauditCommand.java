package dev.capaudit.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** The root command; it only lists the subcommands and the exit codes. */
@Command(name = "capaudit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Audits the Linux capabilities of containers against a policy (CIS Docker Benchmark 5.3, 5.4 in"
        + " CIS 1.6): every process of every container, and what a docker exec shell gets.",
    exitCodeListHeading = "%nExit Codes:%n",
    exitCodeList = {
        "0:every target passes the policy",
        "1:capaudit itself failed (e.g. no Docker engine answered)",
        "2:bad usage, or the policy or snapshot file is invalid",
        "4:at least one target violates the policy",
        "5:no violation, but a target was unreadable or none matched"},
    subcommands = {
        ScanCommand.class,
        HostCommand.class,
        EnforceCommand.class,
        WarmUpCommand.class,
        ImageCommand.class,
        DiffCommand.class,
        DecodeCommand.class,
        PolicyCommand.class,
        RulesCommand.class,
        AutoComplete.GenerateCompletion.class})
public final class CapauditCommand {}

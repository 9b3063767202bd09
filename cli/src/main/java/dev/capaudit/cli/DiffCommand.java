package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.baseline.HolderKey;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Compares two JSON reports (schema version 1 or 2): what is new, what was fixed, what remains. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Compare two JSON reports (capaudit --json, schema version 1 or 2): findings new in NEW (or held by"
        + " a new holder), fixed since OLD, and existing. Holders are matched by name and uid, never by pid, so a"
        + " restart changes nothing. Exits 4 when NEW has a violation OLD did not have.")
final class DiffCommand extends AbstractCommand {
  @Parameters(index = "0", paramLabel = "OLD.json", description = "The earlier report (the baseline).")
  Path older;

  @Parameters(index = "1", paramLabel = "NEW.json", description = "The later report.")
  Path newer;

  @Override
  protected ExitCode execute() throws CliProblem {
    List<BaselineEntry> before = ReportFiles.entries(older, "report");
    List<BaselineEntry> after = ReportFiles.entries(newer, "report");
    BaselineComparison comparison = BaselineComparison.compare(older.toString(), after, before);
    List<BaselineEntry> added = after.stream().filter(e -> comparison.statusOf(e) == FindingStatus.NEW).toList();
    out().printf("%d new, %d fixed, %d existing finding(s)%n", added.size(), comparison.fixed().size(),
        after.size() - added.size());
    print("new", added);
    print("fixed", comparison.fixed());
    return added.stream().anyMatch(e -> e.severity().failsTarget()) ? ExitCode.VIOLATIONS : ExitCode.PASS;
  }

  private void print(String label, List<BaselineEntry> entries) {
    for (BaselineEntry e : entries) {
      // Every field comes from a report file, which anyone who can write it controls: all shown as text.
      out().printf("%-5s %-6s %s %s in %s: %s%n", label, e.severity().id(), Printable.of(e.key().rule()),
          Printable.of(e.key().capability().name()), Printable.of(e.key().target().toString()),
          Printable.of(String.join(", ", e.holders().stream().map(HolderKey::toString).toList())));
    }
  }
}

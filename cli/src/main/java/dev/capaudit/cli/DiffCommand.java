package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import dev.capaudit.reports.json.JsonBaselines;
import dev.capaudit.reports.json.JsonReportWriter;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Compares two JSON reports: what is new, what was fixed, what remains. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Compare two JSON reports (capaudit --json): findings new in NEW, fixed since OLD, and existing."
        + " Exits 4 when NEW has a violation OLD did not have.")
final class DiffCommand extends AbstractCommand {
  @Parameters(index = "0", paramLabel = "OLD.json", description = "The earlier report (the baseline).")
  Path older;

  @Parameters(index = "1", paramLabel = "NEW.json", description = "The later report.")
  Path newer;

  @Override
  protected ExitCode execute() throws CliProblem {
    Map<FindingKey, BaselineEntry> before = byKey(read(older));
    Map<FindingKey, BaselineEntry> after = byKey(read(newer));
    List<BaselineEntry> added = after.values().stream().filter(e -> !before.containsKey(e.key())).toList();
    List<BaselineEntry> fixed = before.values().stream().filter(e -> !after.containsKey(e.key())).toList();
    long existing = after.keySet().stream().filter(before::containsKey).count();
    out().printf("%d new, %d fixed, %d existing finding(s)%n", added.size(), fixed.size(), existing);
    print("new", added);
    print("fixed", fixed);
    boolean newViolation = added.stream().anyMatch(DiffCommand::violation);
    return newViolation ? ExitCode.VIOLATIONS : ExitCode.PASS;
  }

  private void print(String label, List<BaselineEntry> entries) {
    for (BaselineEntry e : entries) {
      FindingKey k = e.key();
      out().printf("%-5s %-6s %s %s in %s %s of %s%n", label, e.severity(), k.rule(), k.capability(), k.set(),
          k.holder(), Printable.of(k.target()));
    }
  }

  /** High and medium findings fail a target; the severity in the report says which these were. */
  private static boolean violation(BaselineEntry entry) {
    return "high".equals(entry.severity()) || "medium".equals(entry.severity());
  }

  private static Map<FindingKey, BaselineEntry> byKey(List<BaselineEntry> entries) {
    Map<FindingKey, BaselineEntry> map = new LinkedHashMap<>();
    entries.forEach(e -> map.putIfAbsent(e.key(), e));
    return map;
  }

  private static List<BaselineEntry> read(Path file) throws CliProblem {
    try {
      return JsonBaselines.entries(JsonReportWriter.read(file));
    } catch (IOException e) {
      throw CliProblem.usage("cannot read " + file + " (a JSON report from capaudit --json): " + e.getMessage());
    }
  }

}

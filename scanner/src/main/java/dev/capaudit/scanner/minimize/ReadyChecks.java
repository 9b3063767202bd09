package dev.capaudit.scanner.minimize;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a trial must show besides settling and running for the hold: a command that exits 0 when run in it by exec,
 * a line in its log. A HEALTHCHECK of the image or container is always waited for when there is one.
 *
 * @param command run as the container's user, once the workload settled and again after the hold
 * @param log found anywhere in the first MiB of the log
 */
public record ReadyChecks(Optional<List<String>> command, Optional<Pattern> log) {
  public static final ReadyChecks NONE = new ReadyChecks(Optional.empty(), Optional.empty());

  public ReadyChecks {
    command = command.map(List::copyOf);
  }
}

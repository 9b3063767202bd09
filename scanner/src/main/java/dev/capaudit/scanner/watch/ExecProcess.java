package dev.capaudit.scanner.watch;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One exec session and the process it started, as far as they could be read.
 *
 * @param id the engine's exec id
 * @param user the user asked for ({@code docker exec -u}); the container's own user when none was
 * @param hostPid the exec'd process on this host; empty when the engine never said
 * @param processName its name in the host's /proc, empty when it could not be read
 * @param uid its effective uid, as the kernel shows it
 * @param command what was exec'd (attacker-controlled: the container's owner chose it)
 */
public record ExecProcess(String id, String user, OptionalInt hostPid, String processName, OptionalLong uid,
    List<String> command, boolean privileged) {
  public ExecProcess {
    command = List.copyOf(command);
  }
}

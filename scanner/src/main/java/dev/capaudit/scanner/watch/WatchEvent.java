package dev.capaudit.scanner.watch;

import dev.capaudit.scanner.docker.DockerEngine;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An engine event the watch acts on.
 *
 * @param execId the exec session's id, for {@link Kind#EXEC_START}
 * @param name the container's name as the event gives it (attacker-controlled)
 * @param exitCode the container's exit code, for {@link Kind#DIE}
 * @param timeNanos the engine's time stamp, nanoseconds since the epoch
 */
public record WatchEvent(Kind kind, String containerId, Optional<String> execId, String name, OptionalLong exitCode,
    long timeNanos) {

  /** The actions subscribed to: what can change what a container's processes hold, and its end. */
  public static final Set<String> ACTIONS = Set.of("start", "unpause", "exec_start", "die", "destroy");

  /** What happened. */
  public enum Kind { START, UNPAUSE, EXEC_START, DIE, DESTROY }

  /** The event, or empty for an action the watch does not act on (or an exec_start without its exec's id). */
  public static Optional<WatchEvent> of(DockerEngine.Event event) {
    // An exec's action carries its command: "exec_start: sh -c id".
    String action = event.action().split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
    Kind kind;
    switch (action) {
      case "start" -> kind = Kind.START;
      case "unpause" -> kind = Kind.UNPAUSE;
      case "exec_start" -> kind = Kind.EXEC_START;
      case "die" -> kind = Kind.DIE;
      case "destroy" -> kind = Kind.DESTROY;
      default -> {
        return Optional.empty();
      }
    }
    Optional<String> execId = Optional.ofNullable(event.attributes().get("execID")).filter(id -> !id.isBlank());
    if (kind == Kind.EXEC_START && execId.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new WatchEvent(kind, event.containerId(), execId, event.attributes().getOrDefault("name", ""),
        exitCode(event.attributes().get("exitCode")), event.timeNanos()));
  }

  private static OptionalLong exitCode(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}

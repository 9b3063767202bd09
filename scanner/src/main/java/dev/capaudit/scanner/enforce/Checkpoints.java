package dev.capaudit.scanner.enforce;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Named points of an enforce run where tests interrupt it: {@code after-step-N} at each step boundary, and
 * {@code in-create}, {@code in-stop}, {@code in-swap}, {@code in-start}, {@code in-verify}, {@code in-commit} inside
 * the steps. Production runs take them from the environment, where nothing is set.
 */
@FunctionalInterface
interface Checkpoints {
  /** Simulates a crash (no shutdown hooks, like SIGKILL) after the numbered step. */
  String HALT_AFTER_STEP = "CAPAUDIT_ENFORCE_HALT_AFTER_STEP";
  /** Pauses the run at the named point, so a test can send it a signal there. */
  String PAUSE_AT = "CAPAUDIT_ENFORCE_PAUSE_AT";
  /** How long the pause lasts when no signal comes (default 30). */
  String PAUSE_SECONDS = "CAPAUDIT_ENFORCE_PAUSE_SECONDS";

  Checkpoints NONE = (point, interruption) -> { };

  void reached(String point, Interruption interruption);

  static Checkpoints fromEnvironment(Consumer<String> log) {
    String halt = System.getenv(HALT_AFTER_STEP);
    String pause = System.getenv(PAUSE_AT);
    if (halt == null && pause == null) {
      return NONE;
    }
    String seconds = System.getenv(PAUSE_SECONDS);
    Duration length = Duration.ofSeconds(seconds != null && seconds.matches("[0-9]{1,4}") ? Long.parseLong(seconds)
        : 30);
    return (point, interruption) -> {
      if (point.equals("after-step-" + halt)) {
        Runtime.getRuntime().halt(99); // a crash: no finally blocks, no shutdown hooks
      }
      if (point.equals(pause)) {
        log.accept("test checkpoint: paused at " + point);
        interruption.pause(length);
      }
    };
  }
}

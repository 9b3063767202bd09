package dev.capaudit.scanner.enforce;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Numbers, logs and keeps the steps of one run, and passes each boundary and inner point to the checkpoints. */
final class Steps {
  private final Consumer<String> log;
  private final Checkpoints checkpoints;
  private final Interruption interruption;
  private final List<String> lines = new ArrayList<>();

  Steps(Consumer<String> log, Checkpoints checkpoints, Interruption interruption) {
    this.log = log;
    this.checkpoints = checkpoints;
    this.interruption = interruption;
  }

  void done(String message) {
    String line = "step " + (lines.size() + 1) + ": " + message;
    lines.add(line);
    log.accept(line);
    checkpoints.reached("after-step-" + lines.size(), interruption);
  }

  /** A point inside a step. */
  void at(String point) {
    checkpoints.reached(point, interruption);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }
}

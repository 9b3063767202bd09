package dev.capaudit.scanner.minimize;

/** Who needs a kept capability, as the audits of the passing trials show it. */
public enum Need {
  /** No process holds it once the workload runs: the root entrypoint used it at start-up and dropped it. */
  ROOT_START_UP("the root entrypoint needs it at start-up (cap_add)", false),
  /** A root process holds it in its permitted or effective set while the workload runs. */
  ROOT_PROCESS("a root process holds it while the workload runs (cap_add)", false),
  /** A non-root process holds it in its permitted, effective or ambient set. */
  NON_ROOT("the non-root workload holds it: it came through ambient or file capabilities", true),
  /** The container starts as non-root and no process holds it once it runs. */
  NON_ROOT_START_UP("the non-root entrypoint needs it at start-up: through ambient or file capabilities", true);

  private final String description;
  private final boolean warning;

  Need(String description, boolean warning) {
    this.description = description;
    this.warning = warning;
  }

  public String description() {
    return description;
  }

  /** Whether a non-root process gets it: a capability that survives the step-down, worth a warning. */
  public boolean warning() {
    return warning;
  }
}

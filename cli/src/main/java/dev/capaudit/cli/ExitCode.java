package dev.capaudit.cli;

/**
 * capaudit's exit codes. "The tool failed" (1, 2) is kept apart from "the tool found problems" (4, 5), so a CI job
 * can tell a broken pipeline from a failing image.
 */
public enum ExitCode {
  PASS(0, "every target passes the policy"),
  TOOL_ERROR(1, "capaudit itself failed (e.g. no Docker engine answered)"),
  USAGE_ERROR(2, "bad usage, or the policy or snapshot file is invalid"),
  VIOLATIONS(4, "at least one target violates the policy"),
  UNREADABLE(5, "no violation, but a target was unreadable or none matched");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}

package dev.capaudit.rules.proc;

/** A /proc/N/status text that cannot be parsed; the message names the offending line. */
public class ProcStatusFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProcStatusFormatException(String message) {
    super(message);
  }
}

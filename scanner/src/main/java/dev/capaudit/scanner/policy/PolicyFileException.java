package dev.capaudit.scanner.policy;

/** A policy file that cannot be used; the message names the file, line and column and the offending key or value. */
public class PolicyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public PolicyFileException(String message) {
    super(message);
  }
}

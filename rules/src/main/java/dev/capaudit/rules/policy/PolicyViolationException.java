package dev.capaudit.rules.policy;

/** A policy whose rules contradict each other; the message names the capability. */
public class PolicyViolationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PolicyViolationException(String message) {
    super(message);
  }
}

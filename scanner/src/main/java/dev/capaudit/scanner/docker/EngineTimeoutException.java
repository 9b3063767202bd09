package dev.capaudit.scanner.docker;

import java.io.IOException;

/** An engine call that got no (complete) answer within its time limit. */
public class EngineTimeoutException extends IOException {
  private static final long serialVersionUID = 1L;

  public EngineTimeoutException(String message) {
    super(message);
  }
}

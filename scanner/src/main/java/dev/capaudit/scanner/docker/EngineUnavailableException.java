package dev.capaudit.scanner.docker;

/** No Docker engine answered at the host tried; the message says which host and what to do. */
public class EngineUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message) {
    super(message);
  }
}

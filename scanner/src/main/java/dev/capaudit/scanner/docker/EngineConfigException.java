package dev.capaudit.scanner.docker;

/** An engine address or context that cannot be used as given (a usage error, not an engine that is down). */
public class EngineConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public EngineConfigException(String message) {
    super(message);
  }
}

package dev.capaudit.scanner.docker;

import java.io.IOException;

/** The engine answered a call with an HTTP status other than the one asked for (409: a name already in use). */
public class EngineRefusedException extends IOException {
  private static final long serialVersionUID = 1L;
  /** The status a name conflict gets: another container has the name. */
  public static final int CONFLICT = 409;

  private final int status;

  public EngineRefusedException(String message, int status) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Whether the engine refused because another container already has the name. */
  public static boolean isNameConflict(IOException e) {
    return e instanceof EngineRefusedException refused && refused.status == CONFLICT;
  }
}

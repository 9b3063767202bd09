package dev.capaudit.scanner.docker;

/** Turns what docker-java and the JDK throw into the one line a user reads. */
final class EngineErrors {
  private EngineErrors() {}

  /** The innermost message: the socket's or the TLS stack's own words, not a wrapper's. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
  }
}

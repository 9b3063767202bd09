package dev.capaudit.scanner.io;

/** A file that cannot be used as input: missing, unreadable, not a regular file, too large or not UTF-8. */
public class InputFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public InputFileException(String message) {
    super(message);
  }
}

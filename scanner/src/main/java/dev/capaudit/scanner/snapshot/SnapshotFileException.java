package dev.capaudit.scanner.snapshot;

/** A snapshot file that cannot be used at all; the message names the file and, where known, the line. */
public class SnapshotFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public SnapshotFileException(String message) {
    super(message);
  }
}

package dev.capaudit.scanner.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Collects a stream up to a cap, so a container that floods its output cannot exhaust the scanner's memory. */
final class BoundedOutput {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final int cap;
  private boolean truncated;

  BoundedOutput(int cap) {
    this.cap = cap;
  }

  synchronized void append(byte[] payload) {
    int room = cap - bytes.size();
    if (payload.length > room) {
      truncated = true;
    }
    bytes.write(payload, 0, Math.max(0, Math.min(room, payload.length)));
  }

  synchronized boolean truncated() {
    return truncated;
  }

  @Override
  public synchronized String toString() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}

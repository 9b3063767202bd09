package dev.capaudit.scanner.minimize;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A --ready-log search bounded in time: a user's pattern over a container's log could backtrack for hours, so the
 * text the matcher reads gives up once the limit has passed.
 */
final class BoundedMatch {
  private BoundedMatch() {}

  /** Whether the pattern occurs in the text; empty when the search ran out of time. */
  static Optional<Boolean> find(Pattern pattern, String text, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      return Optional.of(pattern.matcher(new Deadlined(text, deadline)).find());
    } catch (OutOfTime e) {
      return Optional.empty();
    }
  }

  private static final class OutOfTime extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfTime() {
      super(null, null, false, false);
    }
  }

  /** The text, read through a clock check every few thousand characters. */
  private record Deadlined(String text, long deadline, int[] reads) implements CharSequence {
    Deadlined(String text, long deadline) {
      this(text, deadline, new int[1]);
    }

    @Override
    public char charAt(int index) {
      if ((++reads[0] & 0xfff) == 0 && System.nanoTime() > deadline) {
        throw new OutOfTime();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Deadlined(text.substring(start, end), deadline, reads);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}

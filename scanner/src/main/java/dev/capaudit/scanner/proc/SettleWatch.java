package dev.capaudit.scanner.proc;

import java.time.Duration;

/**
 * Tells when a container's process tree has held still: the same {@link ProcessTreeSignature} for a whole second,
 * polled every 200 ms. Shared by the image gate (before its audit) and enforce (before its re-audit).
 */
public final class SettleWatch {
  public static final Duration STABLE_FOR = Duration.ofSeconds(1);
  public static final Duration POLL = Duration.ofMillis(200);

  private String last;
  private long stableSince;

  /** Records a reading; true once the signature has not changed for {@link #STABLE_FOR}. */
  public boolean settled(String signature) {
    long now = System.nanoTime();
    if (!signature.equals(last)) {
      last = signature;
      stableSince = now;
      return false;
    }
    return now - stableSince >= STABLE_FOR.toNanos();
  }

  /** Waits one poll interval; an interrupt ends the wait and stays set for the caller to see. */
  public static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

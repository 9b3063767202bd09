package dev.capaudit.rules.policy;

/** What a policy says of one capability present in one context. */
public enum Judgement {
  MUST_DROP,
  ALLOWED,
  OUTSIDE_ALLOWED_CONTEXTS,
  UNLISTED_FAIL,
  UNLISTED_WARN,
  UNLISTED_ALLOWED;

  public boolean isFinding() {
    return this != ALLOWED && this != UNLISTED_ALLOWED;
  }

  /** A finding that fails the target, as opposed to a warning. */
  public boolean isViolation() {
    return this == MUST_DROP || this == OUTSIDE_ALLOWED_CONTEXTS || this == UNLISTED_FAIL;
  }
}

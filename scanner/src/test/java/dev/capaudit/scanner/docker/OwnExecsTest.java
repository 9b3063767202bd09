package dev.capaudit.scanner.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnExecsTest {
  @Test
  void keepsTheMostRecentIdsOnly() {
    OwnExecs own = new OwnExecs(3);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      own.add(id);
    }

    assertThat(own.contains("a")).as("the eldest, past the bound").isFalse();
    assertThat(own.contains("b")).isTrue();
    assertThat(own.contains("d")).isTrue();
    assertThat(own.contains("e")).as("never created here").isFalse();
  }
}

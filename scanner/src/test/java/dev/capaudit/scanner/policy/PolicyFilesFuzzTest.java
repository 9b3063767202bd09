package dev.capaudit.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.TestFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutates the shipped policies with a fixed seed (so a failure reproduces): the loader either returns a policy or
 * throws {@link PolicyFileException} naming the file, never anything else, and garbage is never a policy.
 */
class PolicyFilesFuzzTest {
  private static final long SEED = 0xca9a_0d17L;
  private static final List<String> SAMPLES = List.of("cis-docker", "k8s-restricted", "nemoclaw-sandbox");
  private static final String ALPHABET = "abcSETUID_ :-[]{},&*!|>'\"#\t\n\u0000\u001b\u00e9\u202e~?%@`";
  private static final String[] FRAGMENTS = {"&a ", "*a", "<<: ", "---\n", "!!binary ", "? ", "- ", "{", "[",
      "ALL", "~", "null", "\"\\u0000\"", "cap_sys_admin", "contexts: []", "2", "!!int ", "%YAML 1.2\n"};

  private final Random random = new Random(SEED);

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_mutated_shipped_policy_loads_or_is_refused_naming_the_file() {
    int loaded = 0;
    int refused = 0;
    for (String sample : SAMPLES) {
      String original = TestFiles.read("policies/" + sample + ".yaml");
      for (int i = 0; i < 1500; i++) {
        String mutated = mutate(original);
        try {
          Policy policy = PolicyFiles.parse(mutated, "policy.yaml");
          assertThat(policy.name()).isNotNull();
          loaded++;
        } catch (PolicyFileException e) {
          assertThat(e.getMessage()).contains("policy.yaml");
          refused++;
        } catch (RuntimeException e) {
          fail("unexpected " + e + " for a mutation of " + sample + ":\n" + mutated, e);
        }
      }
    }
    assertThat(loaded).isGreaterThan(500);
    assertThat(refused).isGreaterThan(500);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void random_text_is_never_a_policy() {
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(300);
      for (int j = 0; j < length; j++) {
        text.append(random.nextBoolean() ? FRAGMENTS[random.nextInt(FRAGMENTS.length)]
            : String.valueOf(ALPHABET.charAt(random.nextInt(ALPHABET.length()))));
      }
      try {
        Policy policy = PolicyFiles.parse(text.toString(), "policy.yaml");
        fail("read garbage as policy " + policy.name() + ":\n" + text);
      } catch (PolicyFileException expected) {
        assertThat(expected.getMessage()).contains("policy.yaml");
      } catch (RuntimeException e) {
        fail("unexpected " + e + " for:\n" + text, e);
      }
    }
  }

  @Test
  void a_shipped_policy_without_its_version_kind_or_name_line_is_refused() {
    for (String sample : SAMPLES) {
      String original = TestFiles.read("policies/" + sample + ".yaml");
      for (String key : List.of("apiVersion:", "kind:", "name:")) {
        String without = original.replaceFirst("(?m)^" + key + ".*\n", "");
        try {
          PolicyFiles.parse(without, "policy.yaml");
          fail(sample + " without " + key + " was accepted");
        } catch (PolicyFileException expected) {
          assertThat(expected.getMessage()).contains(key.substring(0, key.length() - 1));
        }
      }
    }
  }

  /** One to three mutations: a character replaced, inserted or deleted, a line dropped or doubled, a fragment added. */
  private String mutate(String original) {
    List<String> lines = new ArrayList<>(Arrays.asList(original.split("\n", -1)));
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      int pos = random.nextInt(line.length() + 1);
      switch (random.nextInt(6)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, line);
        case 2 -> lines.set(at, line.substring(0, pos) + ALPHABET.charAt(random.nextInt(ALPHABET.length()))
            + line.substring(Math.min(line.length(), pos + 1)));
        case 3 -> lines.set(at, line.substring(0, pos) + FRAGMENTS[random.nextInt(FRAGMENTS.length)]
            + line.substring(pos));
        case 4 -> lines.set(at, line.substring(0, pos));
        default -> lines.set(at, line.substring(0, pos) + ALPHABET.charAt(random.nextInt(ALPHABET.length()))
            + line.substring(pos));
      }
      if (lines.isEmpty()) {
        lines.add("");
      }
    }
    return String.join("\n", lines);
  }
}

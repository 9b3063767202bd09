package dev.capaudit.rules.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.capaudit.rules.capability.CapabilitySetKind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutates the real status samples with a fixed seed (so a failure reproduces) and checks the parser's promise: a
 * mutated text either throws {@link ProcStatusFormatException} or parses to the original values, except in the
 * fields whose lines the mutation touched. No other exception, and never a value from a line nobody changed.
 */
class ProcStatusParserFuzzTest {
  private static final long SEED = 0x5eed_cafeL;
  private static final int MUTATIONS_PER_SAMPLE = 600;
  private static final String ALPHABET = "0123456789abcdefABCDEF \t:-+x\u0000\u001b\u007f\u0085\u202e\u00e9\n";
  private static final String[] HOSTILE_VALUES = {"", "-1", "4294967296", "4194304", "99999999999999999999999",
      "0x1ff", "00000000000000000", "ffffffffffffffff", "1 2", "0\t0\t0", "\u0000", "2"};

  /** Which parsed values each field decides; a field not listed here is ignored by the parser. */
  private static final Map<String, List<Function<ProcStatus, Object>>> DECIDES = Map.of(
      "Name", List.of(ProcStatus::name),
      "Pid", List.of(ProcStatus::pid),
      "NSpid", List.of(ProcStatus::nsPids),
      "PPid", List.of(ProcStatus::ppid),
      "Uid", List.of(ProcStatus::realUid, ProcStatus::effectiveUid),
      "Gid", List.of(ProcStatus::realGid, ProcStatus::effectiveGid),
      "NoNewPrivs", List.of(ProcStatus::noNewPrivs),
      "Seccomp", List.of(ProcStatus::seccomp));

  private final Random random = new Random(SEED);

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_mutated_real_status_throws_the_documented_exception_or_differs_only_where_it_was_changed()
      throws Exception {
    int parsed = 0;
    int rejected = 0;
    for (Path sample : ProcStatusParserTest.everyStatusSample().toList()) {
      String original = Files.readString(sample, StandardCharsets.UTF_8);
      ProcStatus expected = ProcStatusParser.parse(original);
      for (int i = 0; i < MUTATIONS_PER_SAMPLE; i++) {
        List<String> lines = new ArrayList<>(Arrays.asList(original.split("\n", -1)));
        Set<String> touched = mutate(lines);
        String mutated = String.join("\n", lines);
        try {
          ProcStatus actual = ProcStatusParser.parse(mutated);
          String why = sample + " mutated to:\n" + mutated;
          assertDiffersOnlyIn(touched, expected, actual, why);
          assertSaysWhatTheTextSays(mutated, actual, why);
          parsed++;
        } catch (ProcStatusFormatException e) {
          assertThat(e.getMessage()).isNotBlank();
          rejected++;
        } catch (RuntimeException e) {
          fail("unexpected " + e + " for " + sample + " mutated to:\n" + mutated, e);
        }
      }
    }
    // Both outcomes must occur, or the mutations are not testing anything.
    assertThat(parsed).isGreaterThan(1000);
    assertThat(rejected).isGreaterThan(1000);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void random_text_is_never_read_as_a_process() {
    for (int i = 0; i < 5000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(400);
      for (int j = 0; j < length; j++) {
        text.append(random.nextInt(4) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
            : (char) (0x20 + random.nextInt(0x60)));
      }
      try {
        ProcStatus status = ProcStatusParser.parse(text.toString());
        fail("parsed garbage " + text + " as " + status);
      } catch (ProcStatusFormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void a_duplicated_line_is_always_rejected() throws Exception {
    for (Path sample : ProcStatusParserTest.everyStatusSample().toList()) {
      List<String> lines = Arrays.asList(Files.readString(sample, StandardCharsets.UTF_8).split("\n"));
      for (String line : lines) {
        String doubled = String.join("\n", lines) + "\n" + line + "\n";
        try {
          ProcStatusParser.parse(doubled);
          fail("accepted a second '" + line + "' in " + sample);
        } catch (ProcStatusFormatException expected) {
          assertThat(expected.getMessage()).contains("duplicate field");
        }
      }
    }
  }

  /** Applies one random mutation and returns the keys of every line it changed, removed or added. */
  private Set<String> mutate(List<String> lines) {
    Set<String> touched = new HashSet<>();
    int at = random.nextInt(lines.size());
    String line = lines.get(at);
    touched.add(key(line));
    int mutation = random.nextInt(7);
    switch (mutation) {
      case 0 -> lines.remove(at);
      case 1 -> lines.add(random.nextInt(lines.size() + 1), line);
      case 2 -> lines.set(at, replaceChar(line));
      case 3 -> lines.set(at, insertChar(line));
      case 4 -> lines.set(at, key(line) + ":\t" + HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)]);
      case 5 -> {
        // Order carries no meaning: a swap changes no value, so nothing counts as touched.
        touched.clear();
        int other = random.nextInt(lines.size());
        lines.set(at, lines.get(other));
        lines.set(other, line);
      }
      default -> {
        lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
        while (lines.size() > at + 1) {
          touched.add(key(lines.remove(at + 1)));
        }
      }
    }
    boolean inPlace = mutation >= 2 && mutation != 5;
    if (inPlace) {
      // An inserted newline splits the line in two; both halves count.
      for (String part : lines.get(at).split("\n", -1)) {
        touched.add(key(part));
      }
    }
    return touched;
  }

  private String replaceChar(String line) {
    if (line.isEmpty()) {
      return line;
    }
    int at = random.nextInt(line.length());
    return line.substring(0, at) + ALPHABET.charAt(random.nextInt(ALPHABET.length())) + line.substring(at + 1);
  }

  private String insertChar(String line) {
    int at = random.nextInt(line.length() + 1);
    return line.substring(0, at) + ALPHABET.charAt(random.nextInt(ALPHABET.length())) + line.substring(at);
  }

  private static String key(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(0, colon);
  }

  /**
   * Reads the numbers back from the text independently (BigInteger, no wrapping) and checks the parsed values are
   * exactly those and within the kernel's ranges: a wrapped uid or a truncated mask would be a lie about the text.
   */
  private static void assertSaysWhatTheTextSays(String text, ProcStatus actual, String why) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        values.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    assertThat(BigInteger.valueOf(actual.pid())).as("Pid in " + why).isEqualTo(new BigInteger(values.get("Pid")))
        .isBetween(BigInteger.ONE, BigInteger.valueOf(ProcStatusParser.MAX_PID));
    assertThat(BigInteger.valueOf(actual.ppid())).as("PPid in " + why).isEqualTo(new BigInteger(values.get("PPid")));
    String[] uids = values.get("Uid").split("\\s+");
    assertThat(uids).as("Uid in " + why).hasSize(4);
    assertThat(BigInteger.valueOf(Integer.toUnsignedLong(actual.realUid()))).isEqualTo(new BigInteger(uids[0]));
    assertThat(BigInteger.valueOf(Integer.toUnsignedLong(actual.effectiveUid()))).isEqualTo(new BigInteger(uids[1]));
    String[] gids = values.get("Gid").split("\\s+");
    assertThat(BigInteger.valueOf(Integer.toUnsignedLong(actual.realGid()))).isEqualTo(new BigInteger(gids[0]));
    for (CapabilitySetKind kind : CapabilitySetKind.values()) {
      actual.capabilities().get(kind).ifPresent(mask -> assertThat(new BigInteger(values.get(kind.procField()), 16))
          .as(kind.procField() + " in " + why).isEqualTo(new BigInteger(mask.toString().substring(2), 16)));
    }
  }

  private static void assertDiffersOnlyIn(Set<String> touched, ProcStatus expected, ProcStatus actual, String why) {
    for (Map.Entry<String, List<Function<ProcStatus, Object>>> field : DECIDES.entrySet()) {
      if (!touched.contains(field.getKey())) {
        for (Function<ProcStatus, Object> value : field.getValue()) {
          assertThat(value.apply(actual)).as(field.getKey() + " in " + why).isEqualTo(value.apply(expected));
        }
      }
    }
    for (CapabilitySetKind kind : CapabilitySetKind.values()) {
      if (!touched.contains(kind.procField())) {
        assertThat(actual.capabilities().get(kind)).as(kind.procField() + " in " + why)
            .isEqualTo(expected.capabilities().get(kind));
      }
    }
  }
}

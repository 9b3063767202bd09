package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code capaudit watch --format jsonl} running in this JVM on a thread of its own, so that a test can read its
 * lines as they come, measure its heap and stop it by interrupting it. Only the last lines are kept: a soak's output
 * must not grow the heap it measures.
 */
final class WatchSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Deque<JsonNode> lines = new ArrayDeque<>();
  private final List<String> notJson = new ArrayList<>();
  /** Every exec session's id once (a few KiB for a soak's sessions), and those that had more than one line. */
  private final Set<String> execIds = new HashSet<>();
  private final List<String> repeatedExecs = new ArrayList<>();
  private final StringWriter err = new StringWriter();
  private final Map<String, Long> counts = new TreeMap<>();
  private final int kept;
  private final Thread thread;
  private volatile int exitCode = -1;
  private long count;

  private WatchSession(int kept, String... args) {
    this.kept = kept;
    PrintWriter out = new PrintWriter(new LineWriter(), true);
    thread = new Thread(() -> exitCode = Main.commandLine(out, new PrintWriter(err, true)).execute(args),
        "capaudit-watch-under-test");
    thread.setDaemon(true);
    thread.start();
  }

  static WatchSession start(String... args) {
    return keeping(2_000, args);
  }

  /** A watch whose last {@code kept} lines are kept (each is a parsed tree, some KiB of heap). */
  static WatchSession keeping(int kept, String... args) {
    List<String> all = new ArrayList<>(List.of("watch", "--format", "jsonl"));
    all.addAll(List.of(args));
    return new WatchSession(kept, all.toArray(String[]::new));
  }

  /** The first line kept that matches, waiting at most the timeout. */
  JsonNode await(String what, Predicate<JsonNode> matching, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      synchronized (this) {
        if (!notJson.isEmpty()) {
          fail("watch printed a line that is not JSON: " + notJson.get(0));
        }
        for (JsonNode line : lines) {
          if (matching.test(line)) {
            return line;
          }
        }
      }
      if (!thread.isAlive()) {
        fail("watch exited (" + exitCode + ") before " + what + ":\n" + err + "\n" + tail());
      }
      DockerHarness.sleep(25);
    }
    return fail("no line for " + what + " within " + timeoutMillis + " ms; the last lines:\n" + tail()
        + "\nstderr:\n" + err);
  }

  /** The last few lines, each cut short: enough to see what the watch was doing, not a soak's whole output. */
  private synchronized String tail() {
    List<String> last = new ArrayList<>();
    lines.descendingIterator().forEachRemaining(line -> {
      if (last.size() < 5) {
        String text = line.toString();
        last.add(0, text.length() > 400 ? text.substring(0, 400) + "..." : text);
      }
    });
    return String.join("\n", last) + "\n(" + count + " lines in all)";
  }

  synchronized List<JsonNode> lines() {
    return List.copyOf(lines);
  }

  synchronized long count() {
    return count;
  }

  /** Exec sessions that had more than one line. */
  synchronized List<String> repeatedExecs() {
    return List.copyOf(repeatedExecs);
  }

  /** How many lines of each type came, over the whole run. */
  synchronized Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  String err() {
    return err.toString();
  }

  /** Waits until standard error shows the text. */
  void awaitErr(String text, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (err.toString().contains(text)) {
        return;
      }
      DockerHarness.sleep(25);
    }
    fail("stderr never showed '" + text + "':\n" + err + "\n" + tail());
  }

  int stop() throws InterruptedException {
    thread.interrupt();
    thread.join(30_000);
    if (thread.isAlive()) {
      fail("watch did not stop within 30 s of an interrupt");
    }
    return exitCode;
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }

  private synchronized void add(String text) {
    try {
      lines.addLast(JSON.readTree(text));
    } catch (IOException e) {
      notJson.add(text);
      return;
    }
    count++;
    JsonNode line = lines.peekLast();
    counts.merge(line.path("type").asText(), 1L, Long::sum);
    if (line.path("type").asText().equals("exec") && !execIds.add(line.at("/exec/id").asText())) {
      repeatedExecs.add(line.at("/exec/id").asText());
    }
    if (lines.size() > kept) {
      lines.removeFirst();
    }
  }

  /** Splits what the watch prints into lines and parses each: every line of jsonl must be one JSON object. */
  private final class LineWriter extends Writer {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public synchronized void write(char[] buffer, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          add(partial.toString());
          partial.setLength(0);
        } else {
          partial.append(buffer[i]);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}

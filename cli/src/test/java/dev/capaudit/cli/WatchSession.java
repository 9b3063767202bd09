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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code capaudit watch --format jsonl} running in this JVM on a thread of its own, so that a test can read its
 * lines as they come, measure its heap and stop it by interrupting it. Only the last lines are kept: a soak's output
 * must not grow the heap it measures.
 */
final class WatchSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEPT = 2_000;

  private final Deque<JsonNode> lines = new ArrayDeque<>();
  private final List<String> notJson = new ArrayList<>();
  private final StringWriter err = new StringWriter();
  private final Thread thread;
  private volatile int exitCode = -1;
  private long count;

  private WatchSession(String... args) {
    PrintWriter out = new PrintWriter(new LineWriter(), true);
    thread = new Thread(() -> exitCode = Main.commandLine(out, new PrintWriter(err, true)).execute(args),
        "capaudit-watch-under-test");
    thread.setDaemon(true);
    thread.start();
  }

  static WatchSession start(String... args) {
    List<String> all = new ArrayList<>(List.of("watch", "--format", "jsonl"));
    all.addAll(List.of(args));
    return new WatchSession(all.toArray(String[]::new));
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
        fail("watch exited (" + exitCode + ") before " + what + ":\n" + err + "\n" + lines());
      }
      DockerHarness.sleep(25);
    }
    return fail("no line for " + what + " within " + timeoutMillis + " ms:\n" + lines() + "\nstderr:\n" + err);
  }

  synchronized List<JsonNode> lines() {
    return List.copyOf(lines);
  }

  synchronized long count() {
    return count;
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
    fail("stderr never showed '" + text + "':\n" + err + "\n" + lines());
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
    if (lines.size() > KEPT) {
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

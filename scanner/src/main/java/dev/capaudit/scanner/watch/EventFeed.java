package dev.capaudit.scanner.watch;

import dev.capaudit.scanner.docker.DockerEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps an event stream open on its own thread: connects, subscribes, asks the engine every ping interval whether it
 * still answers (a stream on a hung engine says nothing), and when the stream ends or the engine stops answering,
 * connects again with a doubling wait. Each new stream replays from the last event seen, so a short break loses
 * nothing the engine still buffers; the loop rescans after every reconnection for what it did not.
 */
final class EventFeed implements Runnable {
  /** Where the feed reports; called on the feed's thread, or the stream's. */
  interface Inbox {
    void connected(DockerEngine engine, boolean again);

    void disconnected(String reason, Duration retryIn, boolean wasUp);

    void event(WatchEvent event);
  }

  private final EngineConnector connector;
  private final WatchSettings settings;
  private final Inbox inbox;
  private volatile boolean stopped;
  private volatile Thread thread;
  private Optional<DockerEngine> first;
  /** The engine's stamp of the last event passed on, and the events seen at exactly that stamp. */
  private long lastNanos = -1;
  private final Set<String> atLast = new HashSet<>();

  EventFeed(EngineConnector connector, Optional<DockerEngine> first, WatchSettings settings, Inbox inbox) {
    this.connector = connector;
    this.first = first;
    this.settings = settings;
    this.inbox = inbox;
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    Duration retry = settings.firstRetry();
    boolean connectedBefore = false;
    boolean up = false;
    while (!stopped) {
      DockerEngine engine;
      try {
        engine = first.isPresent() ? first.get() : connector.connect();
        first = Optional.empty();
      } catch (IOException | RuntimeException e) {
        inbox.disconnected(e.getMessage(), retry, up);
        up = false;
        sleep(retry);
        retry = retry.multipliedBy(2).compareTo(settings.lastRetry()) > 0 ? settings.lastRetry()
            : retry.multipliedBy(2);
        continue;
      }
      retry = settings.firstRetry();
      boolean again = connectedBefore;
      Followed followed = follow(engine, () -> inbox.connected(engine, again));
      connectedBefore |= followed.subscribed();
      up = followed.subscribed();
      // Audits still using this connection fail at once; the loop drops their results and rescans after.
      engine.close();
      if (!stopped) {
        inbox.disconnected(followed.reason(), retry, up);
        up = false;
        sleep(retry);
      }
    }
  }

  void stop() {
    stopped = true;
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
  }

  /** How following one connection ended: whether a stream was open at all, and why it ended. */
  private record Followed(boolean subscribed, String reason) {}

  /**
   * Follows one connection's events until it ends. The loop hears of the connection only once the first stream is
   * open, so that the rescan it starts cannot miss a container started in between.
   */
  private Followed follow(DockerEngine engine, Runnable onFirstStream) {
    boolean subscribed = false;
    while (!stopped) {
      CompletableFuture<DockerEngine.StreamEnd> ended = new CompletableFuture<>();
      DockerEngine.EventStream stream;
      try {
        stream = engine.events(WatchEvent.ACTIONS, settings.labels(), since(), sink(ended));
      } catch (IOException | RuntimeException e) {
        return new Followed(subscribed, "cannot subscribe to events: " + e.getMessage());
      }
      if (!subscribed) {
        subscribed = true;
        onFirstStream.run();
      }
      try {
        DockerEngine.StreamEnd end = await(engine, ended);
        if (end == null) {
          break;
        }
        if (!end.idle()) {
          return new Followed(true, end.reason());
        }
        // A TCP engine's idle stream ends at the read timeout: the engine itself is still there (await pinged it
        // within the ping interval), so the stream is opened again, replaying from the last event.
      } finally {
        stream.close();
      }
    }
    return new Followed(subscribed, "stopped");
  }

  /** Waits for the stream's end, pinging meanwhile; a ping that fails ends the wait. Null when stopped. */
  private DockerEngine.StreamEnd await(DockerEngine engine, CompletableFuture<DockerEngine.StreamEnd> ended) {
    while (!stopped) {
      try {
        return ended.get(settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException quiet) {
        try {
          engine.info();
        } catch (IOException | RuntimeException e) {
          return new DockerEngine.StreamEnd(false, "the engine stopped answering: " + e.getMessage());
        }
      } catch (ExecutionException e) {
        return new DockerEngine.StreamEnd(false, String.valueOf(e.getCause()));
      } catch (InterruptedException e) {
        stopped = true; // only stop() interrupts the feed
        return null;
      }
    }
    return null;
  }

  private DockerEngine.EventSink sink(CompletableFuture<DockerEngine.StreamEnd> ended) {
    return new DockerEngine.EventSink() {
      @Override
      public void event(DockerEngine.Event event) {
        WatchEvent.of(event).filter(e -> fresh(event)).ifPresent(inbox::event);
      }

      @Override
      public void ended(DockerEngine.StreamEnd end) {
        ended.complete(end);
      }
    };
  }

  /** An event not passed on before: a replay starts at the last stamp seen, so that stamp's events come again. */
  private synchronized boolean fresh(DockerEngine.Event event) {
    String key = event.action() + "|" + event.containerId() + "|" + event.attributes().getOrDefault("execID", "");
    if (event.timeNanos() < lastNanos || event.timeNanos() == lastNanos && !atLast.add(key)) {
      return false;
    }
    if (event.timeNanos() > lastNanos) {
      lastNanos = event.timeNanos();
      atLast.clear();
      atLast.add(key);
    }
    return true;
  }

  private synchronized OptionalLong since() {
    return lastNanos < 0 ? OptionalLong.empty() : OptionalLong.of(lastNanos);
  }

  private void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      stopped = true; // only stop() interrupts the feed
    }
  }
}

package dev.capaudit.scanner.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds every engine call in time. docker-java's transports ignore the read timeout on unix sockets (their
 * socket's {@code setSoTimeout} does nothing), so an engine that accepts a connection and never answers, or drips
 * a byte a second, would hang a call forever; here each call runs on a worker with a deadline instead.
 *
 * <p>A call that times out leaves its worker blocked in a native read until the process exits or the connection
 * breaks; workers are daemon threads, so they never keep the JVM alive.
 */
final class EngineCalls implements AutoCloseable {
  private final String host;
  private final Duration timeout;
  private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "capaudit-engine-call");
    thread.setDaemon(true);
    return thread;
  });

  EngineCalls(String host, Duration timeout) {
    this.host = host;
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /** Runs the call within the read timeout. */
  <T> T call(String what, Callable<T> call) throws IOException {
    return call(what, call, timeout);
  }

  /** Runs the call within its own time limit (an exec's, which may be longer than a read). */
  <T> T call(String what, Callable<T> call, Duration limit) throws IOException {
    Future<T> future;
    try {
      future = workers.submit(call);
    } catch (RejectedExecutionException e) {
      throw new IOException(what + ": the connection to " + host + " is closed");
    }
    try {
      return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new EngineTimeoutException(what + ": the engine at " + host + " did not answer within "
          + limit.toSeconds() + " s");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(what + ": " + EngineErrors.rootMessage(cause), cause);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}

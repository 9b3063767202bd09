package dev.capaudit.cli.watch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capaudit.scanner.watch.WatchTotals;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} with the JDK's own HTTP server, on one daemon thread: a scrape reads the totals the
 * loop last published and never waits for the loop.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
    Thread daemon = new Thread(runnable, "capaudit-metrics");
    daemon.setDaemon(true);
    return daemon;
  });

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static MetricsServer start(InetSocketAddress address, Supplier<WatchTotals> totals) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    MetricsServer metrics = new MetricsServer(server);
    server.createContext("/", exchange -> metrics.handle(exchange, totals));
    server.setExecutor(metrics.thread);
    server.start();
    return metrics;
  }

  /** Where it listens, with the port the system chose for port 0. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange, Supplier<WatchTotals> totals) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        reply(exchange, 404, "not found: the metrics are at /metrics\n");
      } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        reply(exchange, 405, "only GET\n");
      } else {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        reply(exchange, 200, MetricsText.of(totals.get()));
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}

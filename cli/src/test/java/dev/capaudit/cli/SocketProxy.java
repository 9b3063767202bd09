package dev.capaudit.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A unix socket forwarded to the engine's, which a test can stop and start: to capaudit, the engine going away and
 * coming back, without touching the engine other tests share. Stopping closes every connection and removes the
 * socket, as a stopped dockerd does.
 */
final class SocketProxy implements AutoCloseable {
  private final Path socket;
  private final Path engine;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private ServerSocketChannel server;

  SocketProxy(Path socket, Path engine) {
    this.socket = socket;
    this.engine = engine;
  }

  String address() {
    return "unix://" + socket;
  }

  synchronized SocketProxy start() throws IOException {
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    ServerSocketChannel listening = server;
    daemon(() -> {
      while (listening.isOpen()) {
        try {
          SocketChannel client = listening.accept();
          SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
          open.add(client);
          open.add(upstream);
          daemon(() -> pump(client, upstream));
          daemon(() -> pump(upstream, client));
        } catch (IOException closed) {
          return;
        }
      }
    });
    return this;
  }

  synchronized void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    for (SocketChannel channel : open) {
      channel.close();
    }
    open.clear();
    Files.deleteIfExists(socket);
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
    } catch (IOException closed) {
      // one side went away: the other is closed below
    } finally {
      close(from);
      close(to);
    }
  }

  private void close(SocketChannel channel) {
    open.remove(channel);
    try {
      channel.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static void daemon(Runnable body) {
    Thread thread = new Thread(body, "socket-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}

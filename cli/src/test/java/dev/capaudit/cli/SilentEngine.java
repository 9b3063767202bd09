package dev.capaudit.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A unix socket that accepts connections like an engine and then never answers, or drips an answer a byte a
 * second: what a wedged daemon looks like to a client.
 */
final class SilentEngine implements AutoCloseable {
  private final Path socket;
  private final ServerSocketChannel server;
  private final List<SocketChannel> held = new ArrayList<>();
  private final Thread acceptor;

  private SilentEngine(Path socket, boolean drip) throws IOException {
    this.socket = socket;
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor = new Thread(() -> accept(drip), "silent-engine");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Accepts and never answers. */
  static SilentEngine silent(Path socket) throws IOException {
    return new SilentEngine(socket, false);
  }

  /** Accepts and answers one byte a second, forever. */
  static SilentEngine dripping(Path socket) throws IOException {
    return new SilentEngine(socket, true);
  }

  String address() {
    return "unix://" + socket;
  }

  private void accept(boolean drip) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        SocketChannel client = server.accept();
        synchronized (held) {
          held.add(client);
        }
        if (drip) {
          Thread dripper = new Thread(() -> drip(client), "silent-engine-drip");
          dripper.setDaemon(true);
          dripper.start();
        }
      }
    } catch (IOException closed) {
      // the test is over
    }
  }

  private static void drip(SocketChannel client) {
    byte[] answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\nOKOKOKOK"
        .getBytes(StandardCharsets.US_ASCII);
    try {
      for (int i = 0; ; i = (i + 1) % answer.length) {
        client.write(ByteBuffer.wrap(answer, i, 1));
        Thread.sleep(1000);
      }
    } catch (IOException | InterruptedException done) {
      // the client gave up, or the test is over
    }
  }

  @Override
  public void close() throws IOException {
    acceptor.interrupt();
    server.close();
    synchronized (held) {
      for (SocketChannel client : held) {
        client.close();
      }
    }
    Files.deleteIfExists(socket);
  }
}

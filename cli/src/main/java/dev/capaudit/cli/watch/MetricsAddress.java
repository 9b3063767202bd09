package dev.capaudit.cli.watch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where {@code --metrics} serves: a bare port is this host's loopback (127.0.0.1) only. Another address must be
 * written with its host, so that serving the findings beyond this host is always asked for in so many words;
 * {@code :9100}, which some tools read as "every interface", is refused as ambiguous.
 */
public final class MetricsAddress {
  private MetricsAddress() {}

  /** The address, or a message saying why the text is not one. */
  public static Parsed parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.matches("[0-9]{1,5}")) {
      return port(trimmed).map(port -> Parsed.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
          .orElseGet(() -> Parsed.error("--metrics port must be 0 to 65535, not " + trimmed));
    }
    int colon = trimmed.lastIndexOf(':');
    if (colon < 0) {
      return Parsed.error("--metrics needs PORT (loopback only) or HOST:PORT, not '" + trimmed + "'");
    }
    String host = trimmed.substring(0, colon);
    String portText = trimmed.substring(colon + 1);
    if (host.isEmpty()) {
      return Parsed.error("--metrics " + trimmed + " names no host: give 127.0.0.1" + trimmed + " for this host only,"
          + " or the address to serve on (0.0.0.0" + trimmed + " for every interface)");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Optional<Integer> port = portText.matches("[0-9]{1,5}") ? port(portText) : Optional.empty();
    if (port.isEmpty()) {
      return Parsed.error("--metrics port must be 0 to 65535, not '" + portText + "'");
    }
    try {
      return Parsed.of(new InetSocketAddress(InetAddress.getByName(host), port.get()));
    } catch (UnknownHostException e) {
      return Parsed.error("--metrics host '" + host + "' is not an address of this host: " + e.getMessage());
    }
  }

  private static Optional<Integer> port(String text) {
    int port = Integer.parseInt(text);
    return port <= 65535 ? Optional.of(port) : Optional.empty();
  }

  /** An address to bind, or why there is none. */
  public record Parsed(Optional<InetSocketAddress> address, String error) {
    static Parsed of(InetSocketAddress address) {
      return new Parsed(Optional.of(address), "");
    }

    static Parsed error(String message) {
      return new Parsed(Optional.empty(), message);
    }
  }
}

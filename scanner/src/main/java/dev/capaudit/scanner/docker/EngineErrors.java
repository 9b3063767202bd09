package dev.capaudit.scanner.docker;

import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** Turns what docker-java and the JDK throw into the one line a user reads. */
final class EngineErrors {
  private EngineErrors() {}

  /**
   * What a failed TLS handshake means, naming the file to look at: an engine certificate the CA does not vouch for,
   * an engine that wants a client certificate, one that refused ours (expired, or signed by another CA), or an engine
   * that does not speak TLS at all. Empty when the failure is not about certificates.
   */
  static Optional<String> certificateProblem(Throwable e, Optional<TlsFiles> tls) {
    boolean handshake = false;
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
      handshake |= cause instanceof SSLException;
      messages.append(' ').append(cause.getMessage());
      if (cause.getCause() == null) {
        break;
      }
    }
    String text = messages.toString().toLowerCase(Locale.ROOT);
    String ca = tls.map(t -> t.ca().toString()).orElse("the CA file");
    String cert = tls.map(t -> t.cert().toString()).orElse("the client certificate");
    if (text.contains("pkix") || text.contains("unable to find valid certification path")
        || text.contains("certificate_unknown") && !text.contains("received")) {
      return Optional.of("the engine's certificate is not signed by the CA in " + ca);
    }
    if (text.contains("no subject alternative") || text.contains("no name matching")) {
      return Optional.of("the engine's certificate does not name the address connected to (check " + ca
          + " and the engine's --tlscert)");
    }
    if (text.contains("certificate_required") || text.contains("bad_certificate") && tls.isEmpty()) {
      return Optional.of("the engine requires a client certificate: give --tlscert and --tlskey, or"
          + " DOCKER_CERT_PATH with DOCKER_TLS_VERIFY=1");
    }
    if (text.contains("bad_certificate") || text.contains("certificate_expired") || text.contains("unknown_ca")) {
      return Optional.of("the engine refused the client certificate " + cert + " (expired, revoked, or signed by"
          + " a CA the engine does not trust)");
    }
    if (handshake && (text.contains("unrecognized ssl message") || text.contains("plaintext"))) {
      return Optional.of("the engine does not speak TLS at this address; drop the TLS settings or use its TLS port");
    }
    if (tls.isPresent() && (text.contains("broken pipe") || text.contains("connection reset"))) {
      // With TLS 1.3 an engine that refuses the client certificate says so after the handshake, by hanging up.
      return Optional.of("the engine hung up during TLS: it refused the client certificate " + cert + " (signed"
          + " by a CA it does not trust, or expired)");
    }
    return handshake ? Optional.of("the TLS handshake failed: " + rootMessage(e)) : Optional.empty();
  }

  /** The innermost message: the socket's or the TLS stack's own words, not a wrapper's. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
  }
}

package dev.capaudit.scanner.docker;

import java.nio.file.Path;

/**
 * The PEM files of a mutual-TLS connection to an engine: the CA that signed the engine's certificate, and the
 * client certificate and key the engine asks for ({@code --tlscacert}, {@code --tlscert}, {@code --tlskey}, or
 * {@code ca.pem}, {@code cert.pem}, {@code key.pem} under {@code DOCKER_CERT_PATH}).
 */
public record TlsFiles(Path ca, Path cert, Path key) {
  /** The files docker puts in a certificate directory. */
  public static TlsFiles in(Path directory) {
    return new TlsFiles(directory.resolve("ca.pem"), directory.resolve("cert.pem"), directory.resolve("key.pem"));
  }
}

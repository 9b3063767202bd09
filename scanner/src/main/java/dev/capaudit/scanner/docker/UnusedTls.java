package dev.capaudit.scanner.docker;

import com.github.dockerjava.transport.SSLConfig;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of an engine reached over a unix socket, where TLS is never spoken. Without one, docker-java's
 * client builds the JVM's default context, which parses the JDK's whole trust store: about a tenth of a second of a
 * short scan, spent on certificates no unix socket uses. Any use fails loudly instead of falling back to no TLS.
 */
final class UnusedTls implements SSLConfig {
  static final UnusedTls INSTANCE = new UnusedTls();

  private UnusedTls() {}

  @Override
  public SSLContext getSSLContext() {
    return new Refusing();
  }

  /** A context whose every operation refuses: a unix socket that somehow asked for TLS is a bug, not a downgrade. */
  private static final class Refusing extends SSLContext {
    Refusing() {
      super(new RefusingSpi(), null, "none (unix socket)");
    }
  }

  private static final class RefusingSpi extends SSLContextSpi {
    private static IllegalStateException refused() {
      return new IllegalStateException("TLS requested on a unix socket engine connection");
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}

package dev.capaudit.scanner.docker;

import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.core.util.CertificateUtils;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Security;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * An SSL context from PEM files named one by one, read with docker-java's own certificate utilities. The files
 * are checked before any connection, so that a missing file or an expired client certificate is reported as such,
 * naming the file, rather than as a failed handshake.
 */
final class PemSslConfig implements SSLConfig, Serializable {
  private static final long serialVersionUID = 1L;
  private final TlsFiles files;

  PemSslConfig(TlsFiles files) {
    this.files = files;
    // docker-java's certificate utilities read PEM keys through BouncyCastle, which must be registered.
    synchronized (PemSslConfig.class) {
      if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
        Security.addProvider(new BouncyCastleProvider());
      }
    }
  }

  /** Checks each file: present, readable, parseable, and the client certificate valid now. */
  void check() throws EngineUnavailableException {
    for (Path file : new Path[] {files.ca(), files.cert(), files.key()}) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new EngineUnavailableException("certificate problem: " + file + " cannot be read"
            + (Files.exists(file) ? " (Permission denied or not a regular file)" : " (No such file or directory)"));
      }
    }
    try {
      for (var certificate : CertificateUtils.loadCertificates(text(files.cert()))) {
        if (certificate instanceof X509Certificate x509) {
          x509.checkValidity();
        }
      }
    } catch (CertificateExpiredException e) {
      throw new EngineUnavailableException("certificate problem: the client certificate " + files.cert()
          + " has expired (" + notAfter(files.cert()) + ")");
    } catch (CertificateNotYetValidException e) {
      throw new EngineUnavailableException("certificate problem: the client certificate " + files.cert()
          + " is not valid yet");
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new EngineUnavailableException("certificate problem: " + files.cert() + " is not a PEM certificate: "
          + EngineErrors.rootMessage(e));
    }
  }

  private static String text(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  private static String notAfter(Path cert) {
    try {
      var certificates = CertificateUtils.loadCertificates(text(cert));
      if (!certificates.isEmpty() && certificates.get(0) instanceof X509Certificate x509) {
        return "not after " + Instant.ofEpochMilli(x509.getNotAfter().getTime());
      }
    } catch (IOException | GeneralSecurityException e) {
      // the date is only for the message
    }
    return "date unknown";
  }

  @Override
  public SSLContext getSSLContext() throws KeyManagementException, UnrecoverableKeyException,
      NoSuchAlgorithmException, KeyStoreException {
    try {
      KeyStore keys = CertificateUtils.createKeyStore(text(files.key()), text(files.cert()));
      KeyStore trust = CertificateUtils.createTrustStore(text(files.ca()));
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, "docker".toCharArray());
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      // The files were checked before the connection; what fails here is the key material itself.
      throw new KeyStoreException("cannot use the TLS files " + files + ": " + EngineErrors.rootMessage(e), e);
    }
  }
}

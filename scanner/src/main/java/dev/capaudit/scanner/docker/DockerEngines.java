package dev.capaudit.scanner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one place a Docker client is built: {@code --host}, {@code --context}, {@code DOCKER_HOST},
 * {@code DOCKER_CONTEXT}, the current docker context or the default socket; TLS from {@code DOCKER_TLS_VERIFY} and
 * {@code DOCKER_CERT_PATH}; every call bounded; one ping first, within the connect plus the read timeout.
 */
public final class DockerEngines {
  private static final Set<String> SCHEMES = Set.of("unix", "tcp", "http", "https");

  private DockerEngines() {}

  public static DockerEngine connect(Optional<String> host, Duration connectTimeout, Duration responseTimeout)
      throws EngineUnavailableException, EngineConfigException {
    return connect(EngineSelection.fromEnvironment(host, Optional.empty()), connectTimeout, responseTimeout);
  }

  /**
   * Connects to the selected engine and pings it.
   *
   * @throws EngineConfigException when the address is malformed or of a kind capaudit cannot reach
   * @throws EngineUnavailableException when the engine does not answer within the connect plus the read timeout
   */
  public static DockerEngine connect(EngineSelection selection, Duration connectTimeout, Duration readTimeout)
      throws EngineUnavailableException, EngineConfigException {
    Optional<String> address = selection.address();
    if (address.isPresent()) {
      validate(address.get(), selection);
    }
    DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
    selection.host().ifPresent(builder::withDockerHost);
    selection.context().ifPresent(builder::withDockerContext);
    Optional<TlsFiles> tls = selection.tlsFiles();
    if (tls.isPresent()) {
      PemSslConfig pem = new PemSslConfig(tls.get());
      pem.check();
      builder.withDockerTlsVerify(true).withCustomSslConfig(pem);
    }
    DockerClientConfig config;
    try {
      config = builder.build();
    } catch (RuntimeException e) {
      throw new EngineConfigException("cannot use the engine named by " + selection.describe() + ": "
          + EngineErrors.rootMessage(e));
    }
    if (config.getDockerHost() == null) {
      throw new EngineConfigException("no engine address in " + selection.describe());
    }
    validate(config.getDockerHost().toString(), selection);
    String where = selection.label().filter(label -> selection.context().isPresent())
        .map(name -> "context " + name + " (" + config.getDockerHost() + ")")
        .orElse(String.valueOf(config.getDockerHost()));
    DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(tlsOf(config))
        .maxConnections(32)
        .connectionTimeout(connectTimeout)
        .responseTimeout(readTimeout)
        .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    EngineCalls calls = new EngineCalls(where, readTimeout);
    try {
      calls.call("ping", () -> client.pingCmd().exec(), connectTimeout.plus(readTimeout));
    } catch (IOException e) {
      calls.close();
      closeQuietly(client);
      throw new EngineUnavailableException(EngineErrors.certificateProblem(e, tls)
          .map(problem -> "certificate problem with the engine at " + where + ": " + problem)
          .orElseGet(() -> unreachable(where, selection, e)));
    }
    return new DockerJavaEngine(where, client, http, calls);
  }

  /** Checks a selection's address without connecting: a malformed one is a usage error before any engine is asked. */
  public static void check(EngineSelection selection) throws EngineConfigException {
    Optional<String> address = selection.address();
    if (address.isPresent()) {
      validate(address.get(), selection);
    }
  }

  /** Refuses addresses docker-java would misread or cannot reach, with a message that says what to do instead. */
  static void validate(String address, EngineSelection selection) throws EngineConfigException {
    URI uri;
    try {
      uri = new URI(address.trim());
    } catch (URISyntaxException e) {
      throw new EngineConfigException(selection.describe() + " is not an engine address (" + e.getReason()
          + "); use unix:///var/run/docker.sock or tcp://HOST:PORT");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("ssh")) {
      throw new EngineConfigException("ssh:// engines are not supported (" + selection.describe() + "); tunnel the"
          + " engine's socket with your own ssh and point capaudit at the tunnel: ssh -nNT -L"
          + " /tmp/docker-remote.sock:/var/run/docker.sock USER@HOST, then --host unix:///tmp/docker-remote.sock");
    }
    if (!SCHEMES.contains(scheme)) {
      throw new EngineConfigException(selection.describe() + " is not an engine address (scheme '" + scheme
          + "'); use unix:///var/run/docker.sock or tcp://HOST:PORT");
    }
    if (scheme.equals("unix") ? blank(uri.getPath()) || uri.getPath().equals("/")
        : blank(uri.getHost()) || uri.getPort() < 0) {
      throw new EngineConfigException(selection.describe() + " is not an engine address (no "
          + (scheme.equals("unix") ? "socket path" : "host and port") + "); use unix:///var/run/docker.sock or"
          + " tcp://HOST:PORT");
    }
  }

  /** The engine's TLS material; none to build for a unix socket, which never speaks TLS. */
  static SSLConfig tlsOf(DockerClientConfig config) {
    SSLConfig tls = config.getSSLConfig();
    boolean unix = "unix".equalsIgnoreCase(config.getDockerHost().getScheme());
    return tls == null && unix ? UnusedTls.INSTANCE : tls;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  private static String unreachable(String where, EngineSelection selection, IOException e) {
    String detail = e instanceof EngineTimeoutException ? "it did not answer in time" : EngineErrors.rootMessage(e);
    String lower = detail.toLowerCase(Locale.ROOT);
    String hint = lower.contains("permission denied")
        ? "run as root or as a member of the docker group, or point --host/DOCKER_HOST at an engine you may use"
        : lower.contains("http request to an https server")
            ? "the engine speaks TLS: give --tlscacert, --tlscert and --tlskey, or DOCKER_CERT_PATH with"
                + " DOCKER_TLS_VERIFY=1"
            : "start the engine, or point --host / DOCKER_HOST / the docker context at a running one";
    return "no Docker engine answered at " + where + (selection.named() ? " (" + selection.describe() + ")" : "")
        + ": " + detail + "; " + hint;
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // The connection failed; there is nothing to release that closing could report.
    }
  }
}

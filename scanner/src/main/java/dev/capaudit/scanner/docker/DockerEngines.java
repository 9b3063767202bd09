package dev.capaudit.scanner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one place a Docker client is built: {@code DOCKER_HOST}, the current docker context, the default socket or an
 * explicit host; TLS from {@code DOCKER_TLS_VERIFY}/{@code DOCKER_CERT_PATH}; bounded timeouts; one ping first.
 */
public final class DockerEngines {
  private DockerEngines() {}

  public static DockerEngine connect(Optional<String> host, Duration connectTimeout, Duration responseTimeout)
      throws EngineUnavailableException {
    DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
    host.ifPresent(builder::withDockerHost);
    DockerClientConfig config;
    try {
      config = builder.build();
    } catch (RuntimeException e) {
      throw new EngineUnavailableException("cannot configure the Docker client: " + e.getMessage());
    }
    String where = String.valueOf(config.getDockerHost());
    DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(32)
        .connectionTimeout(connectTimeout)
        .responseTimeout(responseTimeout)
        .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw new EngineUnavailableException(unreachable(where, e));
    }
    return new DockerJavaEngine(where, client, http);
  }

  private static String unreachable(String where, RuntimeException e) {
    String detail = rootMessage(e);
    String hint = detail.toLowerCase().contains("permission denied")
        ? "run as root or as a member of the docker group, or point --host/DOCKER_HOST at an engine you may use"
        : "start the engine, or point --host / DOCKER_HOST / the docker context at a running one";
    return "no Docker engine answered at " + where + " (" + detail + "); " + hint;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // The connection failed; there is nothing to release that closing could report.
    }
  }
}

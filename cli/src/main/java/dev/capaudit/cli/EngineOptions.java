package dev.capaudit.cli;

import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.DockerEngines;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.proc.HostProc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach the Docker engine and the host's /proc. */
final class EngineOptions {
  @Option(names = "--host", paramLabel = "URL",
      description = "Docker engine to use (unix:///var/run/docker.sock, tcp://host:2376). Default: DOCKER_HOST, the"
          + " current docker context, then the default socket. TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.")
  String host;

  @Option(names = "--proc-root", paramLabel = "DIR", defaultValue = "/proc",
      description = "The Docker host's /proc (mount it read-only when capaudit runs in a container). Processes are"
          + " read from here when it shows the containers; otherwise through one exec. Default: ${DEFAULT-VALUE}.")
  Path procRoot;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds to wait for the engine to accept a connection. Default: ${DEFAULT-VALUE}.")
  int connectTimeout;

  DockerEngine connect() throws CliProblem {
    try {
      return connectOrExplain();
    } catch (EngineUnavailableException e) {
      throw CliProblem.tool(e.getMessage());
    }
  }

  DockerEngine connectOrExplain() throws EngineUnavailableException {
    return DockerEngines.connect(Optional.ofNullable(host), Duration.ofSeconds(connectTimeout),
        Duration.ofSeconds(60));
  }

  HostProc hostProc() {
    return new HostProc(procRoot);
  }
}

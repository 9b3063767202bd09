package dev.capaudit.cli;

import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.DockerEngines;
import dev.capaudit.scanner.docker.EngineConfigException;
import dev.capaudit.scanner.docker.EngineSelection;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.proc.HostProc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach the Docker engine, the host's /proc and the runtimes' state. */
final class EngineOptions {
  @Option(names = "--host", paramLabel = "URL",
      description = "Docker engine to use (unix:///var/run/docker.sock, tcp://host:2376). Default: DOCKER_HOST, the"
          + " current docker context, then the default socket. TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH."
          + " A named engine that does not answer is an error (exit 1), never a fallback.")
  String host;

  @Option(names = "--context", paramLabel = "NAME",
      description = "Docker context to use (as docker --context). Default: DOCKER_CONTEXT, then the current one.")
  String context;

  @Option(names = "--proc-root", paramLabel = "DIR", defaultValue = "/proc",
      description = "The Docker host's /proc (mount it read-only when capaudit runs in a container). Processes are"
          + " read from here when it shows the containers; otherwise through one exec. Default: ${DEFAULT-VALUE}.")
  Path procRoot;

  @Option(names = "--runtime-root", paramLabel = "DIR",
      description = "A directory where a runtime keeps OCI bundles, besides the known layouts (repeatable): a"
          + " containerd v2 task directory, a containers/storage overlay-containers directory, or their parents.")
  List<Path> runtimeRoots = new ArrayList<>();

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds to wait for the engine to accept a connection. Default: ${DEFAULT-VALUE}.")
  int connectTimeout;

  @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Seconds to wait for the engine's answer to one call (an engine that accepts and never"
          + " answers fails within --connect-timeout plus this). Default: ${DEFAULT-VALUE}.")
  int readTimeout;

  /** Which engine was asked for. */
  EngineSelection selection() {
    return EngineSelection.fromEnvironment(Optional.ofNullable(host), Optional.ofNullable(context));
  }

  /** Connects, or fails: a usage error for a malformed address, a tool error for an engine that is down. */
  DockerEngine connect() throws CliProblem {
    try {
      return connectOrExplain();
    } catch (EngineUnavailableException e) {
      throw CliProblem.tool(e.getMessage());
    }
  }

  /** Connects; an engine that is down is the caller's to handle (a bare scan falls back to the host). */
  DockerEngine connectOrExplain() throws EngineUnavailableException, CliProblem {
    validate();
    try {
      return DockerEngines.connect(selection(), Duration.ofSeconds(connectTimeout), Duration.ofSeconds(readTimeout));
    } catch (EngineConfigException e) {
      throw CliProblem.usage(e.getMessage());
    }
  }

  private void validate() throws CliProblem {
    if (connectTimeout < 1 || connectTimeout > 3600) {
      throw CliProblem.usage("--connect-timeout must be 1 to 3600 seconds, not " + connectTimeout);
    }
    if (readTimeout < 1 || readTimeout > 3600) {
      throw CliProblem.usage("--read-timeout must be 1 to 3600 seconds, not " + readTimeout);
    }
    if (host != null && host.isBlank()) {
      throw CliProblem.usage("--host must name an engine (unix:///var/run/docker.sock, tcp://HOST:PORT)");
    }
    if (context != null && context.isBlank()) {
      throw CliProblem.usage("--context must name a docker context");
    }
  }

  HostProc hostProc() {
    return new HostProc(procRoot);
  }
}

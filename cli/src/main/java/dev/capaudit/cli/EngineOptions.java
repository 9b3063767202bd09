package dev.capaudit.cli;

import dev.capaudit.scanner.docker.DockerContexts;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.DockerEngines;
import dev.capaudit.scanner.docker.EngineConfigException;
import dev.capaudit.scanner.docker.EngineSelection;
import dev.capaudit.scanner.docker.EngineUnavailableException;
import dev.capaudit.scanner.docker.TlsFiles;
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
      description = "Docker engine to use (unix:///var/run/docker.sock, tcp://host:2376); repeatable: scan audits"
          + " every engine named. Default: DOCKER_HOST, the current docker context, then the default socket. A named"
          + " engine that does not answer is an error (exit 1; with several engines, an error target of its own),"
          + " never a fallback.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--context", paramLabel = "NAME",
      description = "Docker context to use (as docker --context), with its TLS material; repeatable. Default:"
          + " DOCKER_CONTEXT, then the current one.")
  List<String> contexts = new ArrayList<>();

  @Option(names = "--all-contexts", description = "Audit the engine of every docker context (scan only).")
  boolean allContexts;

  @Option(names = "--tlscacert", paramLabel = "FILE", description = "CA that signed the engine's certificate"
      + " (with --tlscert and --tlskey: mutual TLS). Default with DOCKER_TLS_VERIFY=1: DOCKER_CERT_PATH/ca.pem.")
  Path tlsCa;

  @Option(names = "--tlscert", paramLabel = "FILE", description = "Client certificate for the engine.")
  Path tlsCert;

  @Option(names = "--tlskey", paramLabel = "FILE", description = "Client key for the engine.")
  Path tlsKey;

  @Option(names = "--engine-parallel", paramLabel = "N", defaultValue = "4",
      description = "Engines audited at once when several are named. Default: ${DEFAULT-VALUE}.")
  int engineParallel;

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

  /** The one engine asked for (the first, for commands that drive one engine). */
  EngineSelection selection() {
    return EngineSelection.fromEnvironment(hosts.stream().findFirst(), contexts.stream().findFirst())
        .withTls(tlsFiles());
  }

  /** Every engine asked for: each --host, each --context, every context with --all-contexts; else the default. */
  List<EngineSelection> selections() throws CliProblem {
    validate();
    List<EngineSelection> all = new ArrayList<>();
    hosts.forEach(host -> all.add(EngineSelection.fromEnvironment(Optional.of(host), Optional.empty())
        .withTls(tlsFiles())));
    List<String> named = new ArrayList<>(contexts);
    if (allContexts) {
      try {
        DockerContexts.names(System.getenv()).stream().filter(name -> !named.contains(name)).forEach(named::add);
      } catch (EngineConfigException e) {
        throw CliProblem.usage(e.getMessage());
      }
    }
    named.forEach(context -> all.add(EngineSelection.fromEnvironment(Optional.empty(), Optional.of(context))));
    if (all.isEmpty()) {
      all.add(selection());
    }
    for (EngineSelection selection : all) {
      try {
        DockerEngines.check(selection);
      } catch (EngineConfigException e) {
        throw CliProblem.usage(e.getMessage());
      }
    }
    return all;
  }


  private Optional<TlsFiles> tlsFiles() {
    if (tlsCa == null && tlsCert == null && tlsKey == null) {
      return Optional.empty();
    }
    return Optional.of(new TlsFiles(tlsCa, tlsCert, tlsKey));
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
    if (hosts.size() + contexts.size() > 1 || allContexts) {
      // Only scan audits several engines in one run; host, image and enforce drive one.
      throw CliProblem.usage("this command works with one engine at a time; name one --host or --context"
          + " (scan takes several)");
    }
    return connect(selection());
  }

  /** Connects to one of several engines; a malformed address is still a usage error. */
  DockerEngine connect(EngineSelection selection) throws EngineUnavailableException, CliProblem {
    try {
      return DockerEngines.connect(selection, Duration.ofSeconds(connectTimeout), Duration.ofSeconds(readTimeout));
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
    if (hosts.stream().anyMatch(String::isBlank)) {
      throw CliProblem.usage("--host must name an engine (unix:///var/run/docker.sock, tcp://HOST:PORT)");
    }
    if (contexts.stream().anyMatch(String::isBlank)) {
      throw CliProblem.usage("--context must name a docker context");
    }
    boolean anyTls = tlsCa != null || tlsCert != null || tlsKey != null;
    if (anyTls && (tlsCa == null || tlsCert == null || tlsKey == null)) {
      throw CliProblem.usage("mutual TLS needs all three of --tlscacert, --tlscert and --tlskey");
    }
    if (engineParallel < 1 || engineParallel > 64) {
      throw CliProblem.usage("--engine-parallel must be 1 to 64, not " + engineParallel);
    }
  }

  HostProc hostProc() {
    return new HostProc(procRoot);
  }
}

package dev.capaudit.scanner.docker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which engine the user asked for, and whether they asked at all: a named engine that does not answer is an
 * error, never a silent fallback to auditing this machine.
 *
 * @param host {@code --host}
 * @param context {@code --context}
 * @param environment the process environment ({@code DOCKER_HOST}, {@code DOCKER_CONTEXT}, {@code DOCKER_TLS_VERIFY},
 *     {@code DOCKER_CERT_PATH})
 * @param tls PEM files named on the command line ({@code --tlscacert}, {@code --tlscert}, {@code --tlskey})
 */
public record EngineSelection(Optional<String> host, Optional<String> context, Map<String, String> environment,
    Optional<TlsFiles> tls) {
  public EngineSelection {
    environment = Map.copyOf(environment);
  }

  public EngineSelection(Optional<String> host, Optional<String> context, Map<String, String> environment) {
    this(host, context, environment, Optional.empty());
  }

  public static EngineSelection fromEnvironment(Optional<String> host, Optional<String> context) {
    return new EngineSelection(host, context, System.getenv());
  }

  /** The same selection with TLS files named on the command line. */
  public EngineSelection withTls(Optional<TlsFiles> files) {
    return new EngineSelection(host, context, environment, files);
  }

  /**
   * How reports name the engine: the context's name, or the engine's address. Targets of two engines with the same
   * container name are told apart by it.
   */
  public Optional<String> label() {
    return context.or(() -> host).or(() -> present("DOCKER_CONTEXT") && !present("DOCKER_HOST")
        ? Optional.of(environment.get("DOCKER_CONTEXT")) : Optional.empty());
  }

  /**
   * The TLS files to use: those named, else the environment's certificate directory when it asks to verify. A unix
   * socket takes none: TLS is for engines reached over the network.
   */
  Optional<TlsFiles> tlsFiles() {
    if (address().map(a -> a.trim().startsWith("unix:")).orElse(false)) {
      return Optional.empty();
    }
    if (tls.isPresent()) {
      return tls;
    }
    String verify = environment.getOrDefault("DOCKER_TLS_VERIFY", "");
    if (context.isEmpty() && present("DOCKER_CERT_PATH") && !verify.isBlank() && !verify.equals("0")) {
      return Optional.of(TlsFiles.in(Path.of(environment.get("DOCKER_CERT_PATH"))));
    }
    return Optional.empty();
  }

  /** Whether the user named an engine by option or environment. */
  public boolean named() {
    return host.isPresent() || context.isPresent() || present("DOCKER_HOST") || present("DOCKER_CONTEXT");
  }

  /** How the engine was named, for messages: {@code --host unix:///x.sock}, {@code DOCKER_HOST=tcp://h:2376}. */
  public String describe() {
    if (host.isPresent()) {
      return "--host " + host.get();
    }
    if (context.isPresent()) {
      return "--context " + context.get();
    }
    if (present("DOCKER_HOST")) {
      return "DOCKER_HOST=" + environment.get("DOCKER_HOST");
    }
    if (present("DOCKER_CONTEXT")) {
      return "DOCKER_CONTEXT=" + environment.get("DOCKER_CONTEXT");
    }
    return "the default engine";
  }

  /** The address to check before docker-java sees it: --host, else DOCKER_HOST. */
  Optional<String> address() {
    return host.or(() -> present("DOCKER_HOST") && context.isEmpty() ? Optional.of(environment.get("DOCKER_HOST"))
        : Optional.empty());
  }

  private boolean present(String variable) {
    String value = environment.get(variable);
    return value != null && !value.isBlank();
  }
}

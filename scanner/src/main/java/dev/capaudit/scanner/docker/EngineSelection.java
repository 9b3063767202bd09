package dev.capaudit.scanner.docker;

import java.util.Map;
import java.util.Optional;

/**
 * Which engine the user asked for, and whether they asked at all: a named engine that does not answer is an
 * error, never a silent fallback to auditing this machine.
 *
 * @param host {@code --host}
 * @param context {@code --context}
 * @param environment the process environment ({@code DOCKER_HOST}, {@code DOCKER_CONTEXT})
 */
public record EngineSelection(Optional<String> host, Optional<String> context, Map<String, String> environment) {
  public EngineSelection {
    environment = Map.copyOf(environment);
  }

  public static EngineSelection fromEnvironment(Optional<String> host, Optional<String> context) {
    return new EngineSelection(host, context, System.getenv());
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

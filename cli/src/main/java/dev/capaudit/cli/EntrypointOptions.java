package dev.capaudit.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How image and minimize run an image in a throwaway container: its user, env, and how long it may take to start. */
final class EntrypointOptions {
  @Option(names = "--user", paramLabel = "USER", description = "Run the image as this user.")
  String user;

  @Option(names = "--env", paramLabel = "K=V", description = "Set an environment variable (repeatable).")
  List<String> env = new ArrayList<>();

  @Option(names = "--settle", paramLabel = "SECONDS", description = "Wait this long for the entrypoint, instead of"
      + " waiting until the process tree and its capability sets stop changing.")
  Integer settle;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "The longest the"
      + " entrypoint may take to settle (for minimize: and be ready); past it the target is an error, the trial a"
      + " failure. Default: ${DEFAULT-VALUE}.")
  int timeout;

  /** Checked before any engine is asked, so a typo is a usage error, not "no engine answered". */
  void validate() throws CliProblem {
    if (timeout < 1 || timeout > 3600) {
      throw CliProblem.usage("--timeout must be 1 to 3600 seconds, not " + timeout);
    }
    if (settle != null && (settle < 0 || settle > 3600)) {
      throw CliProblem.usage("--settle must be 0 to 3600 seconds, not " + settle);
    }
  }

  Optional<String> user() {
    return Optional.ofNullable(user);
  }

  boolean given() {
    return user != null || !env.isEmpty();
  }

  Optional<Duration> settle() {
    return Optional.ofNullable(settle).map(Duration::ofSeconds);
  }

  Duration timeout() {
    return Duration.ofSeconds(timeout);
  }
}

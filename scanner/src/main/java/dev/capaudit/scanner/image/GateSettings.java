package dev.capaudit.scanner.image;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the image gate runs an image.
 *
 * @param settle a fixed wait before the audit; empty means wait until the process tree stops changing
 * @param timeout the longest the entrypoint may take to settle before the target is an error
 */
public record GateSettings(String image, GateProfile profile, List<String> capAdd, Optional<String> user,
    List<String> env, List<String> command, Optional<Duration> settle, Duration timeout) {
  public GateSettings {
    capAdd = List.copyOf(capAdd);
    env = List.copyOf(env);
    command = List.copyOf(command);
  }
}

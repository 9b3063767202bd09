package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.image.CreateRequest;
import dev.capaudit.scanner.image.GateProfile;
import dev.capaudit.scanner.image.GateSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Trials of an image, created as the image gate creates its container: no network, the user, env and command. */
public final class ImageTrials implements TrialTemplate {
  private final String image;
  private final Optional<String> user;
  private final List<String> env;
  private final List<String> command;

  public ImageTrials(String image, Optional<String> user, List<String> env, List<String> command) {
    this.image = image;
    this.user = user;
    this.env = List.copyOf(env);
    this.command = List.copyOf(command);
  }

  @Override
  public String target() {
    return image;
  }

  @Override
  public String image() {
    return image;
  }

  @Override
  public boolean fromContainer() {
    return false;
  }

  @Override
  public String createJson(CapabilityMask set, Map<String, String> labels) {
    // Profile none drops ALL; the set comes back as CapAdd, so the bounding set is exactly the set.
    List<String> names = set.capabilities().stream().map(Capability::name).toList();
    GateSettings settings = new GateSettings(image, GateProfile.NONE, names, user, env, command, Optional.empty(),
        Duration.ZERO);
    return CreateRequest.json(settings, labels);
  }

  @Override
  public String trialName(String runId, int number) {
    return "capaudit-minimize-" + runId + "-" + number;
  }

  @Override
  public CapabilityMask defaultStart(CapabilityMask kernel) {
    return GateProfile.DOCKER_DEFAULT.startingSet(List.of(), kernel);
  }

  @Override
  public Map<String, String> labels() {
    return Map.of();
  }

  @Override
  public List<String> notes() {
    return List.of("trials run the image with no network");
  }
}

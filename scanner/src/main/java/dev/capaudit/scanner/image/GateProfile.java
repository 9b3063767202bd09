package dev.capaudit.scanner.image;

import dev.capaudit.rules.text.AsciiCase;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.DockerCapabilities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The capability set a throwaway container starts from: the runtimes an image must survive. */
public enum GateProfile {
  /** Docker's 14 defaults. */
  DOCKER_DEFAULT(List.of(), List.of()),
  /** Docker's defaults plus SYS_ADMIN and SYS_PTRACE: the seeds' e2e test of a permissive sandbox runtime. */
  PERMISSIVE(List.of("SYS_ADMIN", "SYS_PTRACE"), List.of()),
  /** What OpenShell's Docker driver adds (NET_ADMIN, SYS_ADMIN, SYS_PTRACE, SYSLOG): the 0x4a82c35fb shell. */
  OPENSHELL(List.of("NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE", "SYSLOG"), List.of()),
  /** No capability at all; add back with --cap-add. */
  NONE(List.of(), List.of("ALL"));

  private final List<String> capAdd;
  private final List<String> capDrop;

  GateProfile(List<String> capAdd, List<String> capDrop) {
    this.capAdd = capAdd;
    this.capDrop = capDrop;
  }

  public List<String> capAdd() {
    return capAdd;
  }

  public List<String> capDrop() {
    return capDrop;
  }

  /** {@code docker-default}, {@code permissive}, {@code openshell}, {@code none}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<GateProfile> fromId(String id) {
    return Arrays.stream(values()).filter(p -> AsciiCase.equalsIgnoreCase(p.id(), id.trim())).findFirst();
  }

  /** The bounding set this profile plus extra adds gives a container. */
  public CapabilityMask startingSet(List<String> extraAdd, CapabilityMask kernel) {
    List<String> adds = new ArrayList<>(capAdd);
    adds.addAll(extraAdd);
    return DockerCapabilities.boundingSet(false, adds, capDrop, kernel).mask();
  }
}

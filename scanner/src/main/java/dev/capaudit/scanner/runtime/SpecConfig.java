package dev.capaudit.scanner.runtime;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ContainerConfig;
import java.util.List;
import java.util.Optional;

/**
 * A container's configuration as its OCI spec shows it, for runtimes whose own settings capaudit does not read
 * (containerd, CRI-O, Podman): the bounding set, user, no_new_privs and pid namespace the runtime applied, and
 * whether it is privileged.
 */
public final class SpecConfig {
  private SpecConfig() {}

  /**
   * The configuration, or empty when the spec's capabilities cannot be read.
   *
   * @param kernel every capability the kernel knows: a privileged container's bounding set holds them all
   * @param privilegedAnnotation a runtime's own word for it ({@code io.podman.annotations.privileged})
   */
  public static Optional<ContainerConfig> of(OciSpec spec, CapabilityMask kernel, boolean privilegedAnnotation,
      List<String> problems) {
    Optional<CapabilitySets> sets = SpecCapabilities.of(spec, problems);
    if (sets.isEmpty()) {
      return Optional.empty();
    }
    CapabilityMask bounding = sets.get().getOrEmpty(CapabilitySetKind.BOUNDING);
    OciSpec.Process process = spec.process();
    String user = process.user() == null || process.user().uid() == null ? "" : Long.toString(process.user().uid());
    return Optional.of(new ContainerConfig(privilegedAnnotation || looksPrivileged(spec, bounding, kernel),
        List.of(), List.of(), bounding, user, process.noNewPrivs(), Optional.empty(), List.of(), pidMode(spec)));
  }

  /**
   * What a privileged container looks like in its spec, as Falco derives it for containerd: every capability, and
   * none of the masked or read-only paths a runtime gives an unprivileged container.
   */
  static boolean looksPrivileged(OciSpec spec, CapabilityMask bounding, CapabilityMask kernel) {
    OciSpec.Linux linux = spec.linux();
    boolean unmasked = linux == null || isEmpty(linux.maskedPaths()) && isEmpty(linux.readonlyPaths());
    return kernel.minus(bounding).isEmpty() && unmasked;
  }

  /**
   * {@code host} when the spec creates no pid namespace (hostPID, --pid=host), {@code container:PATH} when it joins
   * one, {@code ""} for its own.
   */
  static String pidMode(OciSpec spec) {
    if (spec.linux() == null || spec.linux().namespaces() == null) {
      return "host";
    }
    for (OciSpec.Namespace namespace : spec.linux().namespaces()) {
      if ("pid".equals(namespace.type())) {
        return namespace.path() == null || namespace.path().isBlank() ? "" : "container:" + namespace.path();
      }
    }
    return "host";
  }

  private static boolean isEmpty(List<String> list) {
    return list == null || list.isEmpty();
  }
}

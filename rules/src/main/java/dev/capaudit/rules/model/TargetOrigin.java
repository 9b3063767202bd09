package dev.capaudit.rules.model;

import java.util.Optional;

/**
 * Where a target was found: the engine that reported it, the runtime that runs it, and the node it runs on.
 *
 * @param engine the engine it was reached through ({@code unix:///var/run/docker.sock}, a context name); empty when
 *     it was read from a runtime's state alone
 * @param runtime {@code docker}, {@code containerd}, {@code podman}, {@code cri-o}; empty when unknown
 * @param namespace the runtime's own namespace ({@code moby}, {@code k8s.io}); empty when it has none
 * @param node the host the target runs on; empty when unknown
 * @param kubernetes the pod and container it is, for containers created by a Kubernetes runtime
 */
public record TargetOrigin(String engine, String runtime, String namespace, String node,
    Optional<KubernetesIdentity> kubernetes) {
  public static final TargetOrigin UNKNOWN = new TargetOrigin("", "", "", "", Optional.empty());

  public TargetOrigin withEngine(String value) {
    return new TargetOrigin(value, runtime, namespace, node, kubernetes);
  }

  public TargetOrigin withRuntime(String value) {
    return new TargetOrigin(engine, value, namespace, node, kubernetes);
  }

  public TargetOrigin withNode(String value) {
    return new TargetOrigin(engine, runtime, namespace, value, kubernetes);
  }
}

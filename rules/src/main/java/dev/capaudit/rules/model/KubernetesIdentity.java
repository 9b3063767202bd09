package dev.capaudit.rules.model;

/**
 * Who a container is in Kubernetes, from the CRI annotations and labels a runtime records for it.
 *
 * @param sandbox whether this is the pod's sandbox (pause) container rather than an application container
 */
public record KubernetesIdentity(String pod, String podNamespace, String podUid, String container,
    boolean sandbox) {}

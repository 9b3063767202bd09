package dev.capaudit.scanner.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.model.KubernetesIdentity;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who a container is in Kubernetes, from what each runtime records: containerd's CRI annotations
 * ({@code io.kubernetes.cri.*}), CRI-O's ({@code io.kubernetes.cri-o.*}, with the kubelet's labels), and the
 * kubelet's labels on any runtime ({@code io.kubernetes.pod.name}, ...; cri-dockerd puts them on Docker containers).
 */
public final class KubernetesIdentities {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KubernetesIdentities() {}

  public static Optional<KubernetesIdentity> of(Map<String, String> annotations, Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(labels);
    all.putAll(annotations);
    all.putAll(crioLabels(annotations));
    String pod = first(all, "io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name");
    String namespace = first(all, "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.pod.namespace");
    if (pod.isEmpty() && namespace.isEmpty()) {
      return Optional.empty();
    }
    String type = first(all, "io.kubernetes.cri.container-type", "io.kubernetes.cri-o.ContainerType",
        "io.kubernetes.docker.type");
    boolean sandbox = type.equals("sandbox") || type.equals("podsandbox");
    String container = sandbox ? "" : first(all, "io.kubernetes.cri.container-name", "io.kubernetes.container.name");
    return Optional.of(new KubernetesIdentity(pod, namespace, first(all, "io.kubernetes.cri.sandbox-uid",
        "io.kubernetes.pod.uid"), container, sandbox));
  }

  /** CRI-O keeps the kubelet's labels as one JSON object in an annotation. */
  private static Map<String, String> crioLabels(Map<String, String> annotations) {
    String labels = annotations.get("io.kubernetes.cri-o.Labels");
    if (labels == null || labels.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(labels, new TypeReference<Map<String, String>>() { });
    } catch (IOException e) {
      return Map.of();
    }
  }

  private static String first(Map<String, String> values, String... keys) {
    for (String key : keys) {
      String value = values.get(key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return "";
  }
}

package dev.capaudit.reports.fix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.capaudit.reports.Templates;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.enforce.EnforcementPlan;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders an enforcement plan as the fix for a runtime: YAML through Jackson, the shim through a template. */
public final class Fixes {
  /** The label Compose names a container's service with: the compose fix overrides that service. */
  public static final String COMPOSE_SERVICE = "com.docker.compose.service";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private Fixes() {}

  public static String render(FixFormat format, EnforcementPlan plan, Policy policy, Map<String, String> labels)
      throws IOException {
    return switch (format) {
      case RUN -> run(plan);
      case COMPOSE -> compose(plan, labels);
      case K8S -> k8s(plan);
      case ENTRYPOINT -> entrypoint(plan, policy);
    };
  }

  static String run(EnforcementPlan plan) {
    List<String> flags = new ArrayList<>(List.of("--cap-drop ALL"));
    plan.capAddNames().forEach(name -> flags.add("--cap-add " + name));
    if (plan.noNewPrivileges()) {
      flags.add("--security-opt no-new-privileges");
    }
    return "# docker run flags for " + plan.target() + "\n" + String.join(" ", flags) + "\n";
  }

  static String compose(EnforcementPlan plan, Map<String, String> labels) throws JsonProcessingException {
    // Compose labels come from whoever created the container: Jackson quotes them as YAML needs.
    String service = labels.getOrDefault(COMPOSE_SERVICE, plan.target());
    ObjectNode root = YAML.createObjectNode();
    ObjectNode settings = root.putObject("services").putObject(service);
    settings.putArray("cap_drop").add("ALL");
    plan.capAddNames().forEach(settings.putArray("cap_add")::add);
    if (plan.noNewPrivileges()) {
      settings.putArray("security_opt").add("no-new-privileges:true");
    }
    return "# compose override for service " + oneLine(service)
        + " (docker compose -f compose.yaml -f capaudit.override.yaml up -d)\n" + YAML.writeValueAsString(root);
  }

  /**
   * A service name for an image no Compose service runs yet ({@code capaudit minimize IMAGE}): the last part of its
   * repository, without registry, tag or digest, in the characters Compose accepts.
   */
  public static String serviceName(String image) {
    String name = image.replaceFirst("@.*$", "");
    name = name.substring(name.lastIndexOf('/') + 1).replaceFirst(":[^:]*$", "");
    name = name.replaceAll("[^a-zA-Z0-9._-]", "-").replaceFirst("^[^a-zA-Z0-9]+", "");
    return name.isEmpty() ? "app" : name;
  }

  /** For a comment: YAML also breaks lines at NEL, LS and PS, so those go along with the control characters. */
  static String oneLine(String text) {
    return text.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]", "?");
  }

  static String k8s(EnforcementPlan plan) throws JsonProcessingException {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode context = root.putObject("securityContext");
    context.put("allowPrivilegeEscalation", false);
    ObjectNode capabilities = context.putObject("capabilities");
    capabilities.putArray("drop").add("ALL");
    plan.capAddNames().forEach(capabilities.putArray("add")::add);
    return "# container securityContext patch (kubectl patch ... or merge into the pod spec)\n"
        + YAML.writeValueAsString(root);
  }

  /**
   * The shim keeps, in stage 1, what a root entrypoint may hold; in stage 2 it steps down to CAPAUDIT_RUN_AS and
   * drops the root-only capabilities during the switch, as setpriv does it atomically.
   */
  static String entrypoint(EnforcementPlan plan, Policy policy) throws IOException {
    List<Capability> rootKeeps = policy.allowedIn(AuditContext.ROOT_PROCESS).capabilities();
    List<Capability> nonRootKeeps = policy.allowedIn(AuditContext.NONROOT_PROCESS).capabilities();
    List<String> drop = new ArrayList<>();
    for (Capability c : Capability.values()) {
      // SETPCAP is what lets the shim drop at all; setpriv removes it in stage 2 when the policy wants it gone.
      if (!rootKeeps.contains(c) && c != Capability.SETPCAP) {
        drop.add(c.bit() + ":" + c.lowerCaseName());
      }
    }
    List<String> stepDown = new ArrayList<>();
    for (Capability c : Capability.values()) {
      if (!nonRootKeeps.contains(c) && (rootKeeps.contains(c) || c == Capability.SETPCAP)) {
        stepDown.add("-" + c.name().toLowerCase(Locale.ROOT));
      }
    }
    StringWriter out = new StringWriter();
    try {
      Templates.get("fix/entrypoint.ftl").process(Map.of(
          "policy", oneLine(policy.name()),
          "drop", String.join(" ", drop),
          "dropSetpcapAsRoot", !rootKeeps.contains(Capability.SETPCAP),
          "stepDown", stepDown.isEmpty() ? "" : String.join(",", stepDown),
          "keepRoot", rootKeeps.stream().map(Capability::canonicalName).collect(Collectors.joining(", ")),
          "keepNonRoot", nonRootKeeps.stream().map(Capability::canonicalName).collect(Collectors.joining(", "))),
          out);
    } catch (TemplateException e) {
      throw new IOException("entrypoint template failed: " + e.getMessage(), e);
    }
    return out.toString();
  }
}

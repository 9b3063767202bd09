package dev.capaudit.reports.markdown;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.CapabilityRef;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One failing target written as a bug report, led by its worst finding. */
final class IssueSection {
  private static final int HOLDERS_SHOWN = 10;

  private final AuditReport report;
  private final TargetResult result;
  private final TargetSnapshot target;
  private final Policy policy;
  private final Map<AuditContext, CapabilityMask> allowed;
  private final StringBuilder md;

  /** @param allowed what the policy allows in each context, worked out once for the whole report */
  IssueSection(AuditReport report, TargetResult result, Map<AuditContext, CapabilityMask> allowed,
      StringBuilder md) {
    this.report = report;
    this.result = result;
    this.target = result.target();
    this.policy = report.result().policy();
    this.allowed = allowed;
    this.md = md;
  }

  /** What the policy allows in each context: the same for every section of a report. */
  static Map<AuditContext, CapabilityMask> allowed(Policy policy) {
    Map<AuditContext, CapabilityMask> allowed = new EnumMap<>(AuditContext.class);
    for (AuditContext context : AuditContext.values()) {
      allowed.put(context, policy.allowedIn(context));
    }
    return allowed;
  }

  void write() {
    Finding worst = result.worstFinding().orElseThrow();
    md.append("\n## ").append(MarkdownText.text(title(worst))).append("\n\n");
    md.append("**Target:** ").append(target.kind().id()).append(' ').append(MarkdownText.code(target.name()));
    if (!target.id().isEmpty()) {
      md.append(" (").append(MarkdownText.code(shortId())).append(')');
    }
    if (!target.image().isEmpty()) {
      md.append(", image ").append(MarkdownText.code(target.image()));
    }
    md.append(" · **Verdict:** fail · **Policy:** ").append(MarkdownText.code(policy.name())).append(" · ")
        .append(result.findings().size()).append(" finding(s)\n");
    origin();
    signature();
    expectedVsObserved();
    howObserved();
    reproduce();
    findings();
    remediation();
  }

  /** "CAP_SYS_ADMIN in CapBnd of pid 1 (sleep, uid 1000) in sandbox-7". */
  private String title(Finding worst) {
    Occurrence first = worst.first();
    String sets = first.sets().isEmpty() ? "" : " in " + first.setNames();
    return worst.capability().name() + sets + " of " + first.holder().describe() + " in " + target.name();
  }

  private void origin() {
    TargetOrigin o = target.origin();
    if (o.equals(TargetOrigin.UNKNOWN)) {
      return;
    }
    md.append("\n**Where:** node ").append(MarkdownText.code(o.node())).append(", engine ")
        .append(MarkdownText.code(o.engine())).append(", runtime ").append(MarkdownText.code(o.runtime()));
    o.kubernetes().ifPresent(k -> md.append(", pod ").append(MarkdownText.code(k.podNamespace() + "/" + k.pod()))
        .append(" container ").append(MarkdownText.code(k.container())));
    md.append('\n');
  }

  /** Each failing set of each holder, with the bits beyond what the policy allows in its context. */
  private void signature() {
    md.append("\n### Mask signature\n\n| Where | Set | Observed | Allowed here | Beyond the policy |\n")
        .append("|---|---|---|---|---|\n");
    Map<String, Occurrence> rows = new LinkedHashMap<>();
    Map<String, CapabilitySetKind> kinds = new LinkedHashMap<>();
    for (Finding f : result.findings()) {
      if (f.failsTarget()) {
        for (Occurrence o : f.occurrences()) {
          o.sets().keySet().forEach(kind -> {
            String key = o.holder().describe() + "|" + kind;
            rows.putIfAbsent(key, o);
            kinds.putIfAbsent(key, kind);
          });
        }
      }
    }
    rows.forEach((key, o) -> {
      CapabilitySetKind kind = kinds.get(key);
      CapabilityMask observed = o.sets().get(kind);
      CapabilityMask allowedHere = allowed.get(o.context());
      CapabilityMask beyond = observed.minus(allowedHere);
      List<String> bits = new ArrayList<>();
      for (int bit = 0; bit < Long.SIZE; bit++) {
        if (beyond.hasBit(bit)) {
          bits.add("bit " + bit + " " + CapabilityRef.ofBit(bit).name());
        }
      }
      md.append("| ").append(MarkdownText.text(o.holder().describe())).append(" | ").append(kind.procField())
          .append(" | ").append(MarkdownText.code(kind.procField() + "=" + observed)).append(" | ")
          .append(MarkdownText.code(allowedHere.toString())).append(" | ").append(String.join(", ", bits))
          .append(" |\n");
    });
  }

  /** Per context: what the policy allows and what was observed (the union of the sets checked). */
  private void expectedVsObserved() {
    md.append("\n### Expected vs. observed\n\n| Context | Allowed by the policy | Observed | Violations |\n")
        .append("|---|---|---|---|\n");
    for (AuditContext context : AuditContext.values()) {
      Optional<CapabilityMask> observed = observedIn(context);
      if (observed.isEmpty()) {
        continue;
      }
      Set<String> violations = new LinkedHashSet<>();
      result.findings().stream().filter(f -> f.failsTarget()
          && f.occurrences().stream().anyMatch(o -> o.context() == context))
          .forEach(f -> violations.add(MarkdownText.text(f.capability().name()))); // a CapAdd name can be anything
      md.append("| ").append(context.id()).append(" | ").append(MarkdownText.code(allowed.get(context).toString())).append(" | ").append(MarkdownText.code(observed.get().toString())).append(" | ")
          .append(violations.isEmpty() ? "none" : String.join(", ", violations)).append(" |\n");
    }
  }

  private Optional<CapabilityMask> observedIn(AuditContext context) {
    CapabilityMask union = null;
    for (ProcessSnapshot p : target.processes()) {
      if (AuditContext.forProcess(p.status().runsAsRoot()) == context) {
        union = orEmpty(union).union(checked(p.status().capabilities().masks()));
      }
    }
    for (ExecView view : target.exec()) {
      if (AuditContext.forExec(view.root()) == context) {
        union = orEmpty(union).union(checked(view.capabilities().masks()));
      }
    }
    if (context == AuditContext.CONFIG && target.config().isPresent()) {
      union = target.config().get().boundingSet();
    }
    return Optional.ofNullable(union);
  }

  private CapabilityMask checked(Map<CapabilitySetKind, CapabilityMask> masks) {
    CapabilityMask all = CapabilityMask.EMPTY;
    for (Map.Entry<CapabilitySetKind, CapabilityMask> entry : masks.entrySet()) {
      if (policy.checkedSets().contains(entry.getKey())) {
        all = all.union(entry.getValue());
      }
    }
    return all;
  }

  private static CapabilityMask orEmpty(CapabilityMask mask) {
    return mask == null ? CapabilityMask.EMPTY : mask;
  }

  private void howObserved() {
    md.append("\n### How it was observed\n\n");
    for (ProcessSnapshot p : target.processes()) {
      md.append("- pid ").append(p.pidInContainer()).append(" (").append(MarkdownText.code(p.status().name()))
          .append(", uid ").append(Integer.toUnsignedString(p.status().effectiveUid())).append("): ")
          .append(sourceText(p.source().id())).append(", host pid ").append(p.status().pid());
      p.nsPid().ifPresent(ns -> md.append(", pid ").append(ns).append(" in a nested pid namespace"));
      if (!p.threads().isEmpty()) {
        md.append(", ").append(p.threads().size()).append(" thread(s) with other sets");
      }
      md.append('\n');
    }
    for (ExecView view : target.exec()) {
      md.append("- exec shell as ").append(MarkdownText.code(view.user())).append(": ")
          .append(sourceText(view.source().id())).append('\n');
    }
    target.config().ifPresent(c -> md.append("- configuration: docker inspect (Privileged ")
        .append(c.privileged()).append(", CapAdd ").append(list(c.capAdd())).append(", CapDrop ")
        .append(list(c.capDrop())).append(c.pidMode().isEmpty() ? "" : ", pid mode " + MarkdownText.code(c.pidMode()))
        .append(")\n"));
    target.notes().forEach(n -> md.append("- note: ").append(MarkdownText.text(n)).append('\n'));
  }

  private static String list(List<String> names) {
    return names.isEmpty() ? "none" : MarkdownText.code(String.join(",", names));
  }

  private static String sourceText(String source) {
    return switch (source) {
      case "host-proc" -> "read from the Docker host's /proc (cannot be forged from inside the container)";
      case "container-exec" -> "read through the container's own sh and cat";
      case "exec-probe" -> "probed with docker exec ... cat /proc/self/status";
      case "oci-spec" -> "computed from the runtime's own OCI spec";
      case "derived" -> "derived from the configured bounding set (no probe could run)";
      default -> "from a captured snapshot";
    };
  }

  private void reproduce() {
    String name = MarkdownText.shell(target.name());
    md.append("\n### Reproduce\n\n```sh\n");
    md.append("pid=$(docker inspect -f '{{.State.Pid}}' ").append(name).append(")\n");
    md.append("for p in $(ls /proc | grep -E '^[0-9]+$'); do [ \"$(readlink /proc/$p/ns/pid)\" = "
        + "\"$(readlink /proc/$pid/ns/pid)\" ] && grep -H -E '^(Name|NSpid|Uid|Cap)' /proc/$p/status; done\n");
    Set<String> users = new LinkedHashSet<>();
    target.exec().forEach(v -> users.add(v.user()));
    for (String user : users) {
      md.append("docker exec -u ").append(MarkdownText.shell(user)).append(' ').append(name)
          .append(" grep ^Cap /proc/self/status\n");
    }
    Set<String> masks = new LinkedHashSet<>();
    result.findings().stream().filter(Finding::failsTarget)
        .forEach(f -> f.occurrences().forEach(o -> o.sets().values().forEach(m -> masks.add(m.toString()))));
    masks.stream().limit(3).forEach(m -> md.append("capaudit decode ").append(m).append('\n'));
    md.append("capaudit scan --policy ").append(MarkdownText.shell(policy.name())).append(' ').append(name)
        .append("\n```\n");
  }

  private void findings() {
    md.append("\n<details><summary>All ").append(result.findings().size()).append(" finding(s)</summary>\n\n");
    for (Finding f : result.findings()) {
      md.append("- **").append(f.severity().id()).append("** ").append(MarkdownText.code(f.rule().id()));
      report.statusOf(target, f).ifPresent(s -> md.append(" _").append(s.id()).append('_'));
      md.append(": ").append(MarkdownText.text(f.message())).append('\n');
      if (f.occurrences().size() > 1) {
        f.occurrences().stream().limit(HOLDERS_SHOWN).forEach(o -> md.append("  - ").append(o.context().id())
            .append(": ").append(MarkdownText.text(o.holder().describe()))
            .append(o.sets().isEmpty() ? "" : " " + MarkdownText.code(o.masks())).append('\n'));
        if (f.occurrences().size() > HOLDERS_SHOWN) {
          md.append("  - and ").append(f.occurrences().size() - HOLDERS_SHOWN).append(" more\n");
        }
      }
    }
    md.append("\n</details>\n");
  }

  private void remediation() {
    md.append("\n### Remediation\n\n");
    Map<String, Rule> fired = new LinkedHashMap<>();
    result.findings().stream().filter(Finding::failsTarget).forEach(f -> fired.putIfAbsent(f.rule().id(), f.rule()));
    for (Rule rule : fired.values()) {
      md.append("- ").append(MarkdownText.code(rule.id())).append(" (").append(String.join(", ",
          rule.cisReferences())).append("): ").append(rule.remediation()).append('\n'); // capaudit's own text
    }
  }

  private String shortId() {
    return target.id().length() > 12 ? target.id().substring(0, 12) : target.id();
  }
}

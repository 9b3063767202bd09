package dev.capaudit.reports.markdown;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.FindingContext;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One failing target written as a bug report. */
final class IssueSection {
  private final AuditReport report;
  private final TargetResult result;
  private final TargetSnapshot target;
  private final Policy policy;
  private final StringBuilder md;

  IssueSection(AuditReport report, TargetResult result, StringBuilder md) {
    this.report = report;
    this.result = result;
    this.target = result.target();
    this.policy = report.result().policy();
    this.md = md;
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
    signature();
    expectedVsObserved();
    howObserved();
    reproduce();
    findings();
    remediation();
  }

  /** "CAP_SYS_ADMIN still present in CapBnd of pid 1 (sleep, uid 1000) in sandbox-7". */
  private String title(Finding worst) {
    String where = worst.set().map(s -> " still present in " + s.procField()).orElse("");
    String of = worst.context() == FindingContext.CONFIG ? " in the configuration" : " of " + worst.subject();
    String head = worst.set().isPresent() ? worst.capability() + where + of : worst.rule().title();
    return head + " in " + target.name();
  }

  /** Each failing set with the bits beyond what the policy allows in its context. */
  private void signature() {
    md.append("\n### Mask signature\n\n| Where | Set | Observed | Allowed here | Beyond the policy |\n")
        .append("|---|---|---|---|---|\n");
    Map<String, Finding> seen = new LinkedHashMap<>();
    for (Finding f : result.findings()) {
      if (f.failsTarget() && f.set().isPresent() && f.mask().isPresent()) {
        seen.putIfAbsent(f.subject() + "|" + f.set().get(), f);
      }
    }
    for (Finding f : seen.values()) {
      CapabilityMask observed = CapabilityMask.parse(f.mask().get());
      CapabilityMask allowed = policy.allowedIn(f.policyContext());
      CapabilityMask beyond = observed.minus(allowed);
      List<String> bits = new ArrayList<>();
      for (String name : beyond.names()) {
        bits.add("bit " + bitOf(name) + " " + name);
      }
      md.append("| ").append(MarkdownText.text(f.subject())).append(" | ").append(f.set().get().procField())
          .append(" | ").append(MarkdownText.code(f.set().get().procField() + "=" + observed)).append(" | ")
          .append(MarkdownText.code(allowed.toString())).append(" | ").append(String.join(", ", bits))
          .append(" |\n");
    }
  }

  private static String bitOf(String name) {
    return name.startsWith("CAP_") && name.substring(4).chars().allMatch(Character::isDigit)
        ? name.substring(4)
        : String.valueOf(Capability.parse(name).map(Capability::bit).orElse(-1));
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
      result.findings().stream().filter(f -> f.policyContext() == context && f.failsTarget())
          .forEach(f -> violations.add(MarkdownText.text(f.capability()))); // a CapAdd name can be anything
      md.append("| ").append(context.id()).append(" | ").append(MarkdownText.code(policy.allowedIn(context)
          .toString())).append(" | ").append(MarkdownText.code(observed.get().toString())).append(" | ")
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
          .append(sourceText(p.source().id())).append(", host pid ").append(p.status().pid()).append('\n');
    }
    for (ExecView view : target.exec()) {
      md.append("- exec shell as ").append(MarkdownText.code(view.user())).append(": ")
          .append(sourceText(view.source().id())).append('\n');
    }
    target.config().ifPresent(c -> md.append("- configuration: docker inspect (Privileged ")
        .append(c.privileged()).append(", CapAdd ").append(list(c.capAdd())).append(", CapDrop ")
        .append(list(c.capDrop())).append(")\n"));
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
    result.findings().stream().filter(Finding::failsTarget).forEach(f -> f.mask().ifPresent(masks::add));
    masks.stream().limit(3).forEach(m -> md.append("capaudit decode ").append(m).append('\n'));
    md.append("capaudit scan --policy ").append(MarkdownText.shell(policy.name())).append(' ').append(name)
        .append("\n```\n");
  }

  private void findings() {
    md.append("\n<details><summary>All ").append(result.findings().size()).append(" finding(s)</summary>\n\n");
    result.findings().stream().sorted(Comparator.comparing(Finding::severity)).forEach(f -> {
      md.append("- **").append(f.severity().id()).append("** ").append(MarkdownText.code(f.rule().id()));
      report.statusOf(target, f).ifPresent(s -> md.append(" _").append(s.id()).append('_'));
      md.append(": ").append(MarkdownText.text(f.message())).append('\n');
    });
    md.append("\n</details>\n");
  }

  private void remediation() {
    md.append("\n### Remediation\n\n");
    Map<String, Rule> fired = new LinkedHashMap<>();
    result.findings().stream().filter(Finding::failsTarget).sorted(Comparator.comparing(Finding::severity))
        .forEach(f -> fired.putIfAbsent(f.rule().id(), f.rule()));
    for (Rule rule : fired.values()) {
      md.append("- ").append(MarkdownText.code(rule.id())).append(" (").append(String.join(", ",
          rule.cisReferences())).append("): ").append(rule.remediation()).append('\n'); // capaudit's own text
    }
  }

  private String shortId() {
    return target.id().length() > 12 ? target.id().substring(0, 12) : target.id();
  }
}

package dev.capaudit.reports.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingKey;
import dev.capaudit.rules.baseline.HolderKey;
import dev.capaudit.rules.baseline.TargetKey;
import dev.capaudit.rules.engine.CapabilityRef;
import dev.capaudit.rules.engine.Holder;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.policy.AuditContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns an earlier JSON report (schema version 1 or 2) into baseline entries, keyed exactly as
 * {@link BaselineEntry#of} keys live findings. A version 1 report names holders by pid; its own process list gives
 * each pid's name and uid, which is what survives a restart.
 */
public final class JsonBaselines {
  private JsonBaselines() {}

  public static List<BaselineEntry> entries(String text, String name) throws JsonReportException {
    JsonNode root = JsonReports.tree(text, name);
    List<BaselineEntry> entries = new ArrayList<>();
    for (JsonNode target : root.path("targets")) {
      if (root.path("schemaVersion").asInt() == 1) {
        entries.addAll(v1(target));
      } else {
        entries.addAll(v2(target));
      }
    }
    return entries;
  }

  private static List<BaselineEntry> v2(JsonNode target) throws JsonReportException {
    JsonNode origin = target.path("origin");
    TargetKey key = new TargetKey(kind(target), target.path("name").asText(), origin.path("node").asText(""),
        origin.path("engine").asText(""), origin.path("runtime").asText(""));
    List<BaselineEntry> entries = new ArrayList<>();
    for (JsonNode f : target.path("findings")) {
      List<HolderKey> holders = new ArrayList<>();
      for (JsonNode o : f.path("occurrences")) {
        JsonNode h = o.path("holder");
        holders.add(HolderKey.of(context(o.path("policyContext").asText()), holderKind(h.path("kind").asText()),
            h.path("name").asText(""), h.hasNonNull("uid") ? OptionalLong.of(h.path("uid").asLong())
                : OptionalLong.empty()));
      }
      entries.add(new BaselineEntry(new FindingKey(key, f.path("rule").asText(),
          CapabilityRef.parse(f.path("capability").asText())), severity(f), holders, f.path("message").asText()));
    }
    return entries;
  }

  /** Version 1 has one finding per set and holder: they are grouped as version 2 groups them. */
  private static List<BaselineEntry> v1(JsonNode target) throws JsonReportException {
    TargetKey key = new TargetKey(kind(target), target.path("name").asText(), "", "", "");
    Map<String, JsonNode> processes = new LinkedHashMap<>();
    for (JsonNode p : target.path("processes")) {
      processes.put(Integer.toString(p.path("pid").asInt()), p);
      for (JsonNode t : p.path("threads")) {
        processes.put(p.path("pid").asInt() + "/" + t.path("tid").asInt(), t);
      }
    }
    Map<FindingKey, Set<HolderKey>> holders = new LinkedHashMap<>();
    Map<FindingKey, JsonNode> first = new LinkedHashMap<>();
    for (JsonNode f : target.path("findings")) {
      FindingKey findingKey = new FindingKey(key, f.path("rule").asText(),
          CapabilityRef.parse(f.path("capability").asText()));
      AuditContext context = context(f.path("policyContext").asText());
      HolderKey holder = switch (f.path("context").asText()) {
        case "process" -> processHolder(context, f, processes);
        case "exec" -> HolderKey.of(context, Holder.Kind.EXEC, f.path("execUser").asText(), OptionalLong.empty());
        default -> HolderKey.of(context, Holder.Kind.CONFIG, "", OptionalLong.empty());
      };
      holders.computeIfAbsent(findingKey, k -> new LinkedHashSet<>()).add(holder);
      first.putIfAbsent(findingKey, f);
    }
    List<BaselineEntry> entries = new ArrayList<>();
    for (Map.Entry<FindingKey, JsonNode> e : first.entrySet()) {
      entries.add(new BaselineEntry(e.getKey(), severity(e.getValue()), List.copyOf(holders.get(e.getKey())),
          e.getValue().path("message").asText()));
    }
    return entries;
  }

  private static HolderKey processHolder(AuditContext context, JsonNode f, Map<String, JsonNode> processes) {
    boolean thread = f.hasNonNull("tid");
    String id = thread ? f.path("pid").asInt() + "/" + f.path("tid").asInt() : Integer.toString(f.path("pid").asInt());
    JsonNode p = processes.get(id);
    String name = p == null ? "pid " + id : p.path("name").asText();
    OptionalLong uid = p == null ? OptionalLong.empty() : OptionalLong.of(p.path("euid").asLong());
    return HolderKey.of(context, thread ? Holder.Kind.THREAD : Holder.Kind.PROCESS, name, uid);
  }

  private static Severity severity(JsonNode finding) {
    return Severity.fromId(finding.path("severity").asText())
        .or(() -> Rules.byId(finding.path("rule").asText()).map(r -> r.severity()))
        .orElse(Severity.INFO);
  }

  private static TargetKind kind(JsonNode target) throws JsonReportException {
    String kind = target.path("kind").asText();
    try {
      return TargetKind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new JsonReportException("unknown target kind '" + kind + "'");
    }
  }

  private static AuditContext context(String id) throws JsonReportException {
    return AuditContext.fromId(id).orElseThrow(() -> new JsonReportException("unknown policyContext '" + id + "'"));
  }

  private static Holder.Kind holderKind(String id) throws JsonReportException {
    try {
      return Holder.Kind.valueOf(id.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new JsonReportException("unknown holder kind '" + id + "'");
    }
  }
}

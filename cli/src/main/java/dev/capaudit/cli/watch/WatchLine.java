package dev.capaudit.cli.watch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.scanner.watch.FindingId;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code --format jsonl}: a target whose audit changed, an exec session, a container that stopped, or
 * a problem. A target's findings are the JSON report's own records (schema version 2), so a line reads as a target
 * of {@code --json} does.
 *
 * @param type {@code target}, {@code exec} or {@code error}
 * @param event what led to it: {@code start}, {@code unpause}, {@code rescan}, {@code poll}, {@code exec_start},
 *     {@code die}, {@code destroy}
 * @param state {@code exited} or {@code removed} for a container that stopped; absent otherwise
 * @param added findings the target's last audit did not have (all of them for a new target)
 * @param fixed findings its last audit had and this one has not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "time", "event", "target", "state", "exitCode", "verdict", "headline", "incomplete", "new",
    "fixed", "exec", "findings", "message"})
public record WatchLine(String type, String time, String event, Identity target, String state, Long exitCode,
    String verdict, String headline, String incomplete, @JsonProperty("new") List<FindingId> added,
    List<FindingId> fixed, Exec exec, List<JsonReport.Finding> findings, String message) {

  /** Which target: as the JSON report names it, with where it runs and its labels. */
  @JsonPropertyOrder({"kind", "id", "name", "image", "origin", "labels"})
  public record Identity(String kind, String id, String name, String image, JsonReport.Origin origin,
      Map<String, String> labels) {}

  /**
   * The exec session and its process.
   *
   * @param user the user asked for, else the container's own
   * @param uid the process's effective uid as the kernel shows it, which decides the context it is judged in
   * @param context {@code root-exec} or {@code nonroot-exec}
   * @param view the process's sets, as the JSON report's exec view ({@code source: host-proc})
   */
  @JsonPropertyOrder({"id", "user", "uid", "hostPid", "process", "command", "privileged", "context", "view"})
  public record Exec(String id, String user, Long uid, Integer hostPid, String process, List<String> command,
      boolean privileged, String context, JsonReport.Exec view) {}
}

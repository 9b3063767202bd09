package dev.capaudit.scanner.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The YAML form of a captured snapshot, so that an audit can run without Docker:
 *
 * <pre>
 * apiVersion: capaudit/v1
 * kind: Snapshot
 * targets:
 *   - name: sandbox-7              # optional when inspect is given
 *     kind: container              # container | host | image | snapshot (default)
 *     inspect: inspect.json        # optional: docker inspect output, relative to this file
 *     processes:                   # /proc/N/status texts, from a file or inline
 *       - file: proc/pid1.status
 *         source: host-proc        # host-proc | container-exec | snapshot (default)
 *         threads:                 # task/TID/status of its threads; the tid is the status's own
 *           - file: proc/pid1-task-7.status
 *           - status: |
 *               Name:  agent ...
 *     exec:                        # what docker exec shells got
 *       - user: "0"
 *         file: proc/exec-root.status
 * </pre>
 */
record SnapshotSpec(
    @JsonProperty(value = "apiVersion", required = true) String apiVersion,
    @JsonProperty(value = "kind", required = true) String kind,
    @JsonProperty("description") String description,
    @JsonProperty(value = "targets", required = true) List<TargetSpec> targets) {

  /** One captured target. */
  record TargetSpec(
      @JsonProperty("name") String name,
      @JsonProperty("kind") String kind,
      @JsonProperty("id") String id,
      @JsonProperty("image") String image,
      @JsonProperty("labels") Map<String, String> labels,
      @JsonProperty("inspect") String inspect,
      @JsonProperty("processes") List<StatusSpec> processes,
      @JsonProperty("exec") List<ExecSpec> exec,
      @JsonProperty("errors") List<String> errors) {}

  /** A /proc/N/status text, from a file or inline, with the statuses of its threads. */
  record StatusSpec(
      @JsonProperty("file") String file,
      @JsonProperty("status") String status,
      @JsonProperty("source") String source,
      @JsonProperty("threads") List<ThreadSpec> threads) {}

  /** A /proc/N/task/TID/status text, from a file or inline. */
  record ThreadSpec(
      @JsonProperty("file") String file,
      @JsonProperty("status") String status) {}

  /** What an exec shell as one user got. */
  record ExecSpec(
      @JsonProperty(value = "user", required = true) String user,
      @JsonProperty("file") String file,
      @JsonProperty("status") String status) {}
}

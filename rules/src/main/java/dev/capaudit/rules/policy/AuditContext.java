package dev.capaudit.rules.policy;

import dev.capaudit.rules.text.AsciiCase;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a capability is judged. The same capability can be load-bearing for a root entrypoint and a finding in the
 * non-root agent it steps down to, or in a {@code docker exec} shell that never passed through the entrypoint.
 */
public enum AuditContext {
  ROOT_PROCESS("root-process", "a container process running as root (euid 0)"),
  NONROOT_PROCESS("nonroot-process", "a container process running as a non-root user"),
  ROOT_EXEC("root-exec", "a shell opened with docker exec as root"),
  NONROOT_EXEC("nonroot-exec", "a shell opened with docker exec as a non-root user"),
  CONFIG("config", "the container's configured bounding set (privileged, CapAdd, CapDrop)");

  private final String id;
  private final String description;

  AuditContext(String id, String description) {
    this.id = id;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public static Optional<AuditContext> fromId(String id) {
    return Arrays.stream(values()).filter(c -> AsciiCase.equalsIgnoreCase(c.id, id.trim())).findFirst();
  }

  public static AuditContext forProcess(boolean root) {
    return root ? ROOT_PROCESS : NONROOT_PROCESS;
  }

  public static AuditContext forExec(boolean root) {
    return root ? ROOT_EXEC : NONROOT_EXEC;
  }
}

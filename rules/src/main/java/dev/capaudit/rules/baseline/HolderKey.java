package dev.capaudit.rules.baseline;

import dev.capaudit.rules.engine.Holder;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.policy.AuditContext;
import java.util.OptionalLong;

/**
 * Who held a finding, as it survives a restart: the context and the process's name and uid, or the exec user, or
 * the configuration; never a pid, which a restart changes.
 *
 * @param holder {@code process sleep uid=1000}, {@code thread worker uid=0}, {@code exec 1000} or {@code config}
 */
public record HolderKey(AuditContext context, String holder) {
  public static HolderKey of(Occurrence occurrence) {
    Holder holder = occurrence.holder();
    return of(occurrence.context(), holder.kind(), holder.name(), holder.uid());
  }

  public static HolderKey of(AuditContext context, Holder.Kind kind, String name, OptionalLong uid) {
    String uidText = uid.isPresent() ? " uid=" + uid.getAsLong() : "";
    return new HolderKey(context, switch (kind) {
      case PROCESS -> "process " + name + uidText;
      case THREAD -> "thread " + name + uidText;
      case EXEC -> "exec " + name;
      case CONFIG -> "config";
    });
  }

  @Override
  public String toString() {
    return context.id() + " " + holder;
  }
}

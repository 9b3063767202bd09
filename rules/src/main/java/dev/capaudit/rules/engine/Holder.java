package dev.capaudit.rules.engine;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Who holds what a finding is about: processes (or threads) alike in name and user, an exec shell's user, or the
 * configuration. Processes that also hold the same sets are one holder with all their pids.
 *
 * @param name the process or thread name (attacker-controlled), or the exec user as given; empty for the config
 * @param uid the effective uid of the processes or threads; empty for exec views and the configuration
 * @param members the pids (and, for threads, tids) in the container's pid namespace, in the order observed
 */
public record Holder(Kind kind, String name, OptionalLong uid, List<Member> members) {
  /** What kind of thing holds it. */
  public enum Kind { PROCESS, THREAD, EXEC, CONFIG }

  /** One process, or one thread of a process. */
  public record Member(int pid, OptionalInt tid) {
    public static Member process(int pid) {
      return new Member(pid, OptionalInt.empty());
    }

    public static Member thread(int pid, int tid) {
      return new Member(pid, OptionalInt.of(tid));
    }
  }

  public Holder {
    members = List.copyOf(members);
  }

  public static Holder config() {
    return new Holder(Kind.CONFIG, "", OptionalLong.empty(), List.of());
  }

  public static Holder exec(String user) {
    return new Holder(Kind.EXEC, user, OptionalLong.empty(), List.of());
  }

  /** How many processes, threads, shells or configurations this is (at least one). */
  public int count() {
    return Math.max(1, members.size());
  }

  /** The same holder with other members. */
  Holder withMembers(List<Member> others) {
    return new Holder(kind, name, uid, others);
  }

  /**
   * For messages: {@code pid 1 (sleep, uid 1000)}, {@code 3 processes (sleep, uid 0: pids 1, 7, 9)},
   * {@code thread 12 (worker, uid 0) of pid 1}, {@code an exec shell as 0}, {@code the container configuration}.
   */
  public String describe() {
    String user = uid.isPresent() ? Long.toString(uid.getAsLong()) : "?";
    return switch (kind) {
      case CONFIG -> "the container configuration";
      case EXEC -> "an exec shell as " + name;
      case PROCESS -> members.size() == 1 ? "pid " + members.get(0).pid() + " (" + name + ", uid " + user + ")"
          : members.size() + " processes (" + name + ", uid " + user + ": pids " + pids() + ")";
      case THREAD -> members.size() == 1
          ? "thread " + members.get(0).tid().orElse(0) + " (" + name + ", uid " + user + ") of pid "
              + members.get(0).pid()
          : members.size() + " threads (" + name + ", uid " + user + ": tids " + pids() + ")";
    };
  }

  /** At most five ids, then how many more: a message stays one readable line for 300 identical processes. */
  private String pids() {
    StringBuilder text = new StringBuilder();
    int shown = Math.min(5, members.size());
    for (int i = 0; i < shown; i++) {
      Member m = members.get(i);
      text.append(i == 0 ? "" : ", ").append(kind == Kind.THREAD ? m.tid().orElse(0) : m.pid());
    }
    return members.size() > shown ? text + " and " + (members.size() - shown) + " more" : text.toString();
  }
}

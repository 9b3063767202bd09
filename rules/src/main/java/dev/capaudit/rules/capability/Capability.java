package dev.capaudit.rules.capability;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The 41 Linux capabilities the kernel knows as of CAP_CHECKPOINT_RESTORE (bit 40), with a one-line risk note each.
 *
 * <p>capaudit owns this model on purpose: docker-java's {@code Capability} enum rejects lower-case names, {@code ALL}
 * and names it does not know, and would fail a whole inspect response on real data.
 */
public enum Capability {
  CHOWN(0, "change the owner of any file"),
  DAC_OVERRIDE(1, "bypass file read, write and execute permission checks"),
  DAC_READ_SEARCH(2, "read any file and traverse any directory; open_by_handle_at container escapes"),
  FOWNER(3, "bypass checks that require owning the file (chmod, utime, ACLs)"),
  FSETID(4, "keep set-user-ID and set-group-ID bits when modifying files"),
  KILL(5, "send signals to processes of other users"),
  SETGID(6, "set arbitrary group IDs and supplementary groups"),
  SETUID(7, "set arbitrary user IDs, including becoming root again"),
  SETPCAP(8, "change the bounding set and grant inheritable capabilities"),
  LINUX_IMMUTABLE(9, "set the immutable and append-only file attributes"),
  NET_BIND_SERVICE(10, "bind to ports below 1024"),
  NET_BROADCAST(11, "send broadcasts and listen to multicast"),
  NET_ADMIN(12, "configure interfaces, routes, firewall rules; sniff and redirect traffic"),
  NET_RAW(13, "open raw and packet sockets: packet crafting, ARP and DNS spoofing"),
  IPC_LOCK(14, "lock memory, bypassing memory limits"),
  IPC_OWNER(15, "bypass permission checks on System V IPC objects"),
  SYS_MODULE(16, "load and unload kernel modules: full kernel compromise"),
  SYS_RAWIO(17, "raw I/O ports and /dev/mem access"),
  SYS_CHROOT(18, "call chroot; helps escape through crafted roots"),
  SYS_PTRACE(19, "trace and inject code into any process the user can see"),
  SYS_PACCT(20, "switch process accounting on and off"),
  SYS_ADMIN(21, "mount, namespaces, BPF and many more: the new root, the classic container escape"),
  SYS_BOOT(22, "reboot the machine and load a new kernel"),
  SYS_NICE(23, "raise priorities and change scheduling of any process"),
  SYS_RESOURCE(24, "override resource limits and quotas"),
  SYS_TIME(25, "set the system clock"),
  SYS_TTY_CONFIG(26, "configure and vhangup terminals"),
  MKNOD(27, "create device nodes"),
  LEASE(28, "take leases on files the user does not own"),
  AUDIT_WRITE(29, "write records to the kernel audit log"),
  AUDIT_CONTROL(30, "configure kernel auditing"),
  SETFCAP(31, "set file capabilities on any file"),
  MAC_OVERRIDE(32, "override mandatory access control (Smack)"),
  MAC_ADMIN(33, "configure mandatory access control"),
  SYSLOG(34, "read and clear the kernel log, which leaks kernel addresses"),
  WAKE_ALARM(35, "set alarms that wake the system"),
  BLOCK_SUSPEND(36, "prevent the system from suspending"),
  AUDIT_READ(37, "read the audit log through multicast netlink"),
  PERFMON(38, "use perf events and observe other processes"),
  BPF(39, "load BPF programs and create maps"),
  CHECKPOINT_RESTORE(40, "checkpoint and restore processes, set PIDs of new processes");

  /** Bit number of the highest capability this model knows (CAP_LAST_CAP on kernels since 5.9). */
  public static final int LAST_KNOWN_BIT = 40;

  private static final String PREFIX = "CAP_";

  private final int bit;
  private final String risk;

  Capability(int bit, String risk) {
    this.bit = bit;
    this.risk = risk;
  }

  public int bit() {
    return bit;
  }

  /** One line on what the capability lets a process do, for reports. */
  public String risk() {
    return risk;
  }

  /** The kernel's name, e.g. {@code CAP_SYS_ADMIN}. */
  public String canonicalName() {
    return PREFIX + name();
  }

  public long maskBit() {
    return 1L << bit;
  }

  /**
   * Parses a capability name in any case, with or without the {@code CAP_} prefix ({@code net_raw},
   * {@code CAP_NET_RAW}, {@code cap_net_raw}). {@code ALL} is not a capability; see {@link CapabilityNames}.
   */
  public static Optional<Capability> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String normalized = CapabilityNames.normalize(name);
    return Arrays.stream(values()).filter(c -> c.name().equals(normalized)).findFirst();
  }

  public static Optional<Capability> ofBit(int bit) {
    if (bit < 0 || bit > LAST_KNOWN_BIT) {
      return Optional.empty();
    }
    return Optional.of(values()[bit]);
  }

  /** The known capability whose name is closest to a misspelt one, for "did you mean" messages. */
  public static Optional<Capability> closestTo(String name) {
    String normalized = CapabilityNames.normalize(name);
    return Arrays.stream(values())
        .min(Comparator.comparingInt(c -> EditDistance.between(c.name(), normalized)))
        .filter(c -> EditDistance.between(c.name(), normalized) <= Math.max(2, normalized.length() / 3));
  }

  static String stripPrefix(String upper) {
    return upper.startsWith(PREFIX) ? upper.substring(PREFIX.length()) : upper;
  }

  /**
   * Worst first: what a process can do with each capability against the host or other workloads. Capabilities that
   * alone give the kernel or every process (mount and namespaces, modules, ptrace, raw I/O, reading any file, BPF)
   * lead; then those that defeat access control or the network (MAC, NET_ADMIN, perf, the kernel log); then Docker's
   * defaults, NET_RAW and DAC_OVERRIDE first; harmless housekeeping last. Documented in the README.
   */
  private static final List<Capability> RISK_ORDER = List.of(
      SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH, BPF, SYS_BOOT, MAC_ADMIN, MAC_OVERRIDE,
      NET_ADMIN, PERFMON, SYSLOG, CHECKPOINT_RESTORE, AUDIT_CONTROL, SYS_TIME, NET_RAW, DAC_OVERRIDE, SETUID, SETGID,
      SETFCAP, FOWNER, CHOWN, SETPCAP, LINUX_IMMUTABLE, SYS_CHROOT, MKNOD, SYS_RESOURCE, IPC_OWNER, KILL, FSETID,
      SYS_NICE, IPC_LOCK, SYS_TTY_CONFIG, SYS_PACCT, NET_BROADCAST, NET_BIND_SERVICE, LEASE, AUDIT_READ, AUDIT_WRITE,
      WAKE_ALARM, BLOCK_SUSPEND);

  static {
    // The enum's order is the kernel's bit order; ofBit relies on it.
    for (Capability c : values()) {
      if (c.ordinal() != c.bit) {
        throw new ExceptionInInitializerError("capability out of bit order: " + c);
      }
    }
    if (RISK_ORDER.size() != values().length || Set.copyOf(RISK_ORDER).size() != values().length) {
      throw new ExceptionInInitializerError("the risk order must rank every capability once");
    }
  }

  /** 1 for the most dangerous capability (CAP_SYS_ADMIN) to 41 for the least; findings are ordered by it. */
  public int riskRank() {
    return RISK_ORDER.indexOf(this) + 1;
  }

  /** Every capability, most dangerous first. */
  public static List<Capability> byRisk() {
    return RISK_ORDER;
  }

  /** Lower-case kernel name, e.g. {@code cap_sys_admin}, as capsh and the seeds' scripts spell it. */
  public String lowerCaseName() {
    return canonicalName().toLowerCase(Locale.ROOT);
  }
}

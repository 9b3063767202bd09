package dev.capaudit.scanner.proc;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads container ids out of {@code /proc/PID/cgroup}, in every runtime's naming, cgroup v1 and v2: Docker
 * ({@code /docker/ID}, {@code docker-ID.scope}), Podman ({@code libpod-ID.scope}, {@code libpod-ID},
 * {@code .../libpod-ID.scope/container}), containerd's CRI ({@code cri-containerd-ID.scope},
 * {@code ...:cri-containerd:ID}, {@code kubepods/.../podUID/ID}), CRI-O ({@code crio-ID.scope}), containerd's
 * {@code ctr} ({@code /NAMESPACE/ID}). The runtimes' monitors ({@code libpod-conmon-ID.scope},
 * {@code crio-conmon-ID.scope}) are not the container and are not matched.
 */
public final class CgroupNames {
  private static final Pattern BARE = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern PREFIXED = Pattern.compile(
      "(?:docker|libpod|cri-containerd|crio|cri-dockerd)-([0-9a-f]{64})(?:\\.scope)?");
  private static final Pattern SYSTEMD_TRIPLE = Pattern.compile(".*:(?:cri-containerd|crio|docker|libpod):([0-9a-f]{64})");

  private CgroupNames() {}

  /**
   * Every container id the cgroup file names, outermost first (a container nested in another, as with
   * Docker-in-Docker, names both). Empty for a process in no container's cgroup.
   */
  public static Set<String> containerIds(String cgroupFile) {
    Set<String> ids = new LinkedHashSet<>();
    for (String line : cgroupFile.split("\n")) {
      // hierarchy-id:controllers:path; the path may itself contain ':' (systemd's slice:prefix:name form).
      int first = line.indexOf(':');
      int second = first < 0 ? -1 : line.indexOf(':', first + 1);
      if (second < 0) {
        continue;
      }
      for (String segment : line.substring(second + 1).split("/")) {
        idOf(segment.strip(), ids);
      }
    }
    return ids;
  }

  private static void idOf(String segment, Set<String> ids) {
    // Every form holds a 64-digit id: shorter segments (system.slice, kubepods, user.slice) need no pattern.
    if (segment.length() < 64) {
      return;
    }
    if (BARE.matcher(segment).matches()) {
      ids.add(segment);
      return;
    }
    Matcher prefixed = PREFIXED.matcher(segment);
    if (prefixed.matches()) {
      ids.add(prefixed.group(1));
      return;
    }
    Matcher triple = SYSTEMD_TRIPLE.matcher(segment);
    if (triple.matches()) {
      ids.add(triple.group(1));
    }
  }
}

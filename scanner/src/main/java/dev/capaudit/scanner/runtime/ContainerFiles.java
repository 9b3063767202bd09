package dev.capaudit.scanner.runtime;

import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.BoundedProcess;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads files of a running container from the host, through its root as the host sees it
 * ({@code /proc/PID/root}): no binary inside the container is run or trusted.
 *
 * <p>Symbolic links are resolved here, one path component at a time, relative to the container's root: the kernel
 * would resolve an absolute link target ({@code /bin/sh -> /bin/busybox}) against the reader's root, the host's,
 * and a hostile image could point a link anywhere on the host.
 */
public final class ContainerFiles {
  private static final int MAX_LINKS = 40;
  private static final int PASSWD_LIMIT = 1024 * 1024;

  private final Path root;

  /** @param root the container's root as the host sees it, {@code /proc/PID/root} */
  public ContainerFiles(Path root) {
    this.root = root;
  }

  /** The files of the container whose init is this host pid. */
  public static ContainerFiles of(HostProc proc, int initPid) {
    return new ContainerFiles(proc.root().resolve(Integer.toString(initPid)).resolve("root"));
  }

  /** What executing a file can give a process: its setuid and setgid bits, owner and file capabilities. */
  public record Privileges(boolean setuid, boolean setgid, long ownerUid, FileCapabilities capabilities) {
    public boolean setuidRoot() {
      return setuid && ownerUid == 0;
    }
  }

  /** The host path of a file in the container, every link resolved inside the container; empty when absent. */
  public Optional<Path> resolve(String pathInContainer) {
    Deque<String> pending = new ArrayDeque<>(List.of(pathInContainer.split("/")));
    Deque<String> resolved = new ArrayDeque<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        resolved.pollLast(); // ".." at the container's root stays at its root
        continue;
      }
      Path here = hostPath(resolved).resolve(part);
      if (Files.isSymbolicLink(here)) {
        if (++links > MAX_LINKS) {
          return Optional.empty();
        }
        String target;
        try {
          target = Files.readSymbolicLink(here).toString();
        } catch (IOException e) {
          return Optional.empty();
        }
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> parts = List.of(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          pending.addFirst(parts.get(i));
        }
        continue;
      }
      if (!Files.exists(here, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      resolved.addLast(part);
    }
    return Optional.of(hostPath(resolved));
  }

  private Path hostPath(Deque<String> parts) {
    Path path = root;
    for (String part : parts) {
      path = path.resolve(part);
    }
    return path;
  }

  /** The privileges of an executable in the container; empty when it is absent or not a regular file. */
  public Optional<Privileges> privileges(String pathInContainer) {
    Optional<Path> file = resolve(pathInContainer).filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      int mode = (Integer) Files.getAttribute(file.get(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
      int uid = (Integer) Files.getAttribute(file.get(), "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return Optional.of(new Privileges((mode & 04000) != 0, (mode & 02000) != 0, Integer.toUnsignedLong(uid),
          fileCapabilities(file.get())));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** File capabilities through the host's getcap (Java cannot read the security.capability attribute). */
  private static FileCapabilities fileCapabilities(Path file) {
    Optional<String> out = BoundedProcess.run(List.of("getcap", file.toString()), Duration.ofSeconds(10), 64 * 1024);
    if (out.isEmpty() || !out.get().startsWith(file + " ")) {
      return FileCapabilities.NONE;
    }
    return FileCapabilities.parse(out.get().substring(file.toString().length() + 1).lines().findFirst().orElse(""));
  }

  /** The uid of a user name in the container's {@code /etc/passwd}, as {@code docker exec -u NAME} resolves it. */
  public OptionalLong uidOf(String userName) {
    // A hostile image can make /etc/passwd a FIFO: only a regular file is read.
    Optional<Path> passwd = resolve("/etc/passwd").filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
    if (passwd.isEmpty()) {
      return OptionalLong.empty();
    }
    Optional<String> text = BoundedFiles.readKernelFile(passwd.get(), PASSWD_LIMIT);
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    for (String line : text.get().split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 3 && fields[0].equals(userName)) {
        try {
          return OptionalLong.of(Long.parseLong(fields[2]));
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }
}

package dev.capaudit.scanner.image;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.PrivilegedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Lists an image's setuid, setgid and file-capability binaries from the host, through the container's root as the
 * host sees it ({@code /proc/PID/root}): no binary inside the container is trusted. File capabilities live in the
 * {@code security.capability} xattr, which Java cannot read, so the host's {@code getcap} reads them.
 */
final class PrivilegedFileFinder {
  /** Kernel filesystems mounted into the container: not part of the image, and endless to walk. */
  private static final Set<String> SKIPPED = Set.of("proc", "sys", "dev");
  private static final int MAX_FILES = 500_000;

  private final List<String> notes = new ArrayList<>();

  List<String> notes() {
    return notes;
  }

  List<PrivilegedFile> find(Path root) {
    Map<String, PrivilegedFile> found = new LinkedHashMap<>();
    walkSetIds(root, found);
    fileCapabilities(root).forEach((path, caps) -> found.merge(path,
        new PrivilegedFile(path, false, false, 0, caps),
        (old, capped) -> new PrivilegedFile(path, old.setuid(), old.setgid(), old.ownerUid(), caps)));
    return List.copyOf(found.values());
  }

  private void walkSetIds(Path root, Map<String, PrivilegedFile> found) {
    int[] seen = {0};
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          boolean skipped = dir.getParent() != null && dir.getParent().equals(root)
              && SKIPPED.contains(dir.getFileName().toString());
          return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (++seen[0] > MAX_FILES) {
            notes.add("stopped listing setuid files after " + MAX_FILES + " files");
            return FileVisitResult.TERMINATE;
          }
          if (attrs.isRegularFile()) {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 06000) != 0) {
              int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
              String path = inContainer(root, file);
              found.put(path, new PrivilegedFile(path, (mode & 04000) != 0, (mode & 02000) != 0,
                  Integer.toUnsignedLong(uid), CapabilityMask.EMPTY));
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // a file that vanished or cannot be read is not a finding
        }
      });
    } catch (IOException e) {
      notes.add("cannot list setuid files: " + e.getMessage());
    }
  }

  /** {@code getcap -r} over the image's top-level directories; the kernel filesystems are left out. */
  private Map<String, CapabilityMask> fileCapabilities(Path root) {
    Map<String, CapabilityMask> result = new LinkedHashMap<>();
    List<String> command = new ArrayList<>(List.of("getcap", "-r"));
    try (var entries = Files.list(root)) {
      entries.filter(p -> !SKIPPED.contains(p.getFileName().toString()))
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> command.add(p.toString()));
    } catch (IOException e) {
      notes.add("cannot list the image's directories: " + e.getMessage());
      return result;
    }
    Optional<String> output = run(command);
    if (output.isEmpty()) {
      return result;
    }
    for (String line : output.get().split("\n")) {
      int caps = line.indexOf(" cap_");
      if (caps > 0 && line.startsWith(root.toString())) {
        result.put(inContainer(root, Path.of(line.substring(0, caps))), permitted(line.substring(caps + 1)));
      }
    }
    return result;
  }

  /** The permitted capabilities of a getcap clause list such as {@code cap_net_admin,cap_net_raw=ep}. */
  static CapabilityMask permitted(String clauses) {
    CapabilityMask mask = CapabilityMask.EMPTY;
    for (String clause : clauses.trim().split("\\s+")) {
      int op = indexOfOperator(clause);
      if (op < 0 || clause.substring(op).indexOf('p') < 0) {
        continue;
      }
      for (String name : clause.substring(0, op).split(",")) {
        mask = Capability.parse(name).map(CapabilityMask::of).orElse(CapabilityMask.EMPTY).union(mask);
      }
    }
    return mask;
  }

  private static int indexOfOperator(String clause) {
    for (int i = 0; i < clause.length(); i++) {
      char c = clause.charAt(i);
      if (c == '=' || c == '+' || c == '-') {
        return i;
      }
    }
    return -1;
  }

  private Optional<String> run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        notes.add("getcap timed out; file capabilities not listed");
        return Optional.empty();
      }
      return Optional.of(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      notes.add("file capabilities not listed: the host has no getcap (install libcap2-bin)");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String inContainer(Path root, Path file) {
    return "/" + root.relativize(file).toString();
  }
}

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
  private static final int BATCH = 500;

  private final List<String> notes = new ArrayList<>();
  /** Every regular file the walk saw: getcap is asked about these by name, never by parsing a recursive listing. */
  private final List<Path> regularFiles = new ArrayList<>();
  /** Entries walked so far, across all top-level directories: a huge or endless tree is cut off. */
  private int visited;

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

  /**
   * Walks each top-level entry of the container's root. The root itself, /proc/PID/root, is a magic link: it is
   * listed through, never resolved (its real path reads as the host's "/") and never walked as a link.
   */
  private void walkSetIds(Path root, Map<String, PrivilegedFile> found) {
    List<Path> tops;
    try (var entries = Files.list(root)) {
      tops = entries.filter(p -> !SKIPPED.contains(p.getFileName().toString())).toList();
    } catch (IOException e) {
      notes.add("cannot list the image's files: " + e.getMessage());
      return;
    }
    for (Path top : tops) {
      walk(root, top, found);
    }
  }

  private void walk(Path root, Path top, Map<String, PrivilegedFile> found) {
    try {
      Files.walkFileTree(top, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (++visited > MAX_FILES) {
            notes.add("stopped listing setuid files after " + MAX_FILES + " entries");
            return FileVisitResult.TERMINATE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (++visited > MAX_FILES) {
            notes.add("stopped listing setuid files after " + MAX_FILES + " entries");
            return FileVisitResult.TERMINATE;
          }
          if (attrs.isRegularFile()) {
            regularFiles.add(file);
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

  /**
   * Asks the host's getcap about the files the walk found, in batches. Output is matched against the known paths,
   * so a file name with a newline or " cap_" in it cannot hide a capability or forge another file's.
   */
  private Map<String, CapabilityMask> fileCapabilities(Path root) {
    Map<String, CapabilityMask> result = new LinkedHashMap<>();
    for (int from = 0; from < regularFiles.size(); from += BATCH) {
      List<Path> batch = regularFiles.subList(from, Math.min(regularFiles.size(), from + BATCH));
      List<String> command = new ArrayList<>(List.of("getcap"));
      batch.forEach(p -> command.add(p.toString()));
      Optional<String> output = run(command);
      if (output.isEmpty()) {
        return result;
      }
      for (Path file : batch) {
        String prefix = file + " ";
        int at = output.get().indexOf(prefix);
        while (at > 0 && output.get().charAt(at - 1) != '\n') {
          at = output.get().indexOf(prefix, at + 1);
        }
        if (at >= 0) {
          int end = output.get().indexOf('\n', at + prefix.length());
          String clauses = output.get().substring(at + prefix.length(), end < 0 ? output.get().length() : end);
          if (clauses.startsWith("cap_") || clauses.startsWith("=")) {
            result.put(inContainer(root, file), permitted(clauses));
          }
        }
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
    Path out = null;
    try {
      // Output goes to a file so that waitFor's timeout holds even if getcap never closes its output.
      out = Files.createTempFile("capaudit-getcap", ".txt");
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectOutput(out.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        notes.add("getcap timed out; file capabilities not listed");
        return Optional.empty();
      }
      return Optional.of(Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      notes.add("file capabilities not listed: the host has no getcap (install libcap2-bin)");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  private static String inContainer(Path root, Path file) {
    return "/" + root.relativize(file).toString();
  }
}

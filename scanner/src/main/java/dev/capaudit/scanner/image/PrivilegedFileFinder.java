package dev.capaudit.scanner.image;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.PrivilegedFile;
import dev.capaudit.scanner.io.BoundedProcess;
import dev.capaudit.scanner.runtime.FileCapabilities;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  private static final Duration GETCAP_TIMEOUT = Duration.ofSeconds(60);
  /** A batch of 500 names of at most 4 KiB each, with every capability on every one, stays well under this. */
  private static final int GETCAP_OUTPUT_LIMIT = 16 * 1024 * 1024;

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
   * Asks the host's getcap about the files the walk found. Plain names go in batches, where each output line is
   * "path clauses" and the path ends at the first space; a name with whitespace or a line break is asked about
   * alone, so no file name can hide a capability or lend one to another file.
   */
  private Map<String, CapabilityMask> fileCapabilities(Path root) {
    Map<String, CapabilityMask> result = new LinkedHashMap<>();
    List<Path> plain = new ArrayList<>();
    for (Path file : regularFiles) {
      if (file.toString().chars().anyMatch(Character::isWhitespace)) {
        run(List.of("getcap", file.toString())).map(out -> out.startsWith(file + " ")
            ? out.substring(file.toString().length() + 1).strip() : "").filter(c -> !c.isEmpty())
            .ifPresent(clauses -> result.put(inContainer(root, file), permitted(clauses)));
      } else {
        plain.add(file);
      }
    }
    for (int from = 0; from < plain.size(); from += BATCH) {
      List<Path> batch = plain.subList(from, Math.min(plain.size(), from + BATCH));
      List<String> command = new ArrayList<>(List.of("getcap"));
      batch.forEach(p -> command.add(p.toString()));
      Optional<String> output = run(command);
      if (output.isEmpty()) {
        return result;
      }
      Map<String, Path> asked = new LinkedHashMap<>();
      batch.forEach(p -> asked.put(p.toString(), p));
      for (String line : output.get().split("\n")) {
        int space = line.indexOf(' ');
        Path file = space > 0 ? asked.get(line.substring(0, space)) : null;
        if (file != null) {
          result.put(inContainer(root, file), permitted(line.substring(space + 1)));
        }
      }
    }
    return result;
  }

  /** The permitted capabilities getcap's clauses give a file (only what it can gain matters here). */
  static CapabilityMask permitted(String clauses) {
    return FileCapabilities.parse(clauses).permitted();
  }

  /** getcap's output; a note, and nothing, when it cannot run, overruns or prints too much. */
  private Optional<String> run(List<String> command) {
    BoundedProcess.Result result = BoundedProcess.attempt(command, GETCAP_TIMEOUT, GETCAP_OUTPUT_LIMIT);
    switch (result.problem()) {
      case CANNOT_RUN -> notes.add("file capabilities not listed: the host has no getcap (install libcap2-bin)");
      case TIMED_OUT -> notes.add("getcap timed out; file capabilities not listed");
      case TOO_MUCH_OUTPUT -> notes.add("getcap printed more than " + GETCAP_OUTPUT_LIMIT
          + " bytes; file capabilities not listed");
      case NONE -> { }
    }
    return result.output();
  }

  private static String inContainer(Path root, Path file) {
    return "/" + root.relativize(file).toString();
  }
}

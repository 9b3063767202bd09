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

  /**
   * The permitted capabilities described by getcap's clauses, read as libcap's cap_from_text does: left to right,
   * each clause names capabilities (none means all) and applies operators: {@code =} sets exactly, {@code +} adds,
   * {@code -} removes. Only the p flag matters here.
   */
  static CapabilityMask permitted(String clauses) {
    CapabilityMask mask = CapabilityMask.EMPTY;
    for (String clause : clauses.trim().split("\\s+")) {
      int op = indexOfOperator(clause);
      if (op < 0) {
        continue;
      }
      CapabilityMask named = CapabilityMask.EMPTY;
      if (op == 0) {
        named = CapabilityMask.ALL_KNOWN;
      } else {
        for (String name : clause.substring(0, op).split(",")) {
          named = named.union(Capability.parse(name).map(CapabilityMask::of).orElse(CapabilityMask.EMPTY));
        }
      }
      // The rest is a sequence of operator-flags pairs, e.g. "=ep" or "+p-i".
      int i = op;
      while (i < clause.length()) {
        char operator = clause.charAt(i++);
        int flagsStart = i;
        while (i < clause.length() && "=+-".indexOf(clause.charAt(i)) < 0) {
          i++;
        }
        boolean permittedFlag = clause.substring(flagsStart, i).indexOf('p') >= 0;
        if (operator == '=') {
          mask = permittedFlag ? mask.union(named) : mask.minus(named);
        } else if (operator == '+' && permittedFlag) {
          mask = mask.union(named);
        } else if (operator == '-' && permittedFlag) {
          mask = mask.minus(named);
        }
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

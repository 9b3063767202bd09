package dev.capaudit.scanner.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** Reading the runtimes' state files: bounded, strict JSON, and never a crash on one bad file. */
final class StateFiles {
  /** A runtime's state of one container is some KiB; a containers.json of thousands some MiB. */
  static final int STATE_LIMIT = 16 * 1024 * 1024;
  /** More entries than this in one state directory is not a host capaudit can audit in bounded time. */
  static final int MAX_ENTRIES = 20_000;
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private StateFiles() {}

  static ObjectMapper json() {
    return JSON;
  }

  /** The JSON in a state file, or empty (the reason added to problems) when it cannot be read. */
  static Optional<JsonNode> readJson(Path file, List<String> problems) {
    if (!present(file, problems) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readTree(BoundedFiles.readText(file, STATE_LIMIT, "runtime state")));
    } catch (InputFileException e) {
      problems.add(e.getMessage());
    } catch (IOException e) {
      problems.add("runtime state " + file + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return Optional.empty();
  }

  /**
   * Reads each item on the common pool (a node's state is thousands of small JSON files), in the items' order, with
   * each item's problems kept apart and added in that order: the result is what a loop would give.
   */
  static <I, T> List<T> inParallel(List<I> items, BiFunction<I, List<String>, Optional<T>> read,
      List<String> problems) {
    List<Map.Entry<Optional<T>, List<String>>> results = items.parallelStream().map(item -> {
      List<String> own = new ArrayList<>();
      return Map.entry(read.apply(item, own), own);
    }).toList();
    List<T> found = new ArrayList<>();
    for (Map.Entry<Optional<T>, List<String>> result : results) {
      problems.addAll(result.getValue());
      result.getKey().ifPresent(found::add);
    }
    return found;
  }

  /** A pid file's pid, or 0. */
  static int readPid(Path file) {
    return BoundedFiles.readKernelFile(file, 64).map(String::trim).filter(t -> t.matches("[0-9]{1,9}"))
        .map(Integer::parseInt).orElse(0);
  }

  /**
   * Whether a state file or directory is there. Absent is no problem (that runtime is not installed); there but not
   * readable is one: {@code Files.exists} would say "absent" for both, and a runtime's containers would then be taken
   * for host processes without a word.
   */
  static boolean present(Path path, List<String> problems) {
    try {
      Files.readAttributes(path, BasicFileAttributes.class);
      return true;
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    } catch (IOException e) {
      problems.add(unreadable(path, e));
      return false;
    }
  }

  /** The subdirectories of a state directory, at most {@link #MAX_ENTRIES}; one that cannot be listed says why. */
  static List<Path> directories(Path dir, List<String> problems) {
    List<Path> result = new ArrayList<>();
    if (!present(dir, problems) || !Files.isDirectory(dir)) {
      return result;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path entry : entries) {
        if (result.size() >= MAX_ENTRIES) {
          problems.add("runtime state " + dir + " holds more than " + MAX_ENTRIES + " entries; the rest were not"
              + " read");
          break;
        }
        result.add(entry);
      }
    } catch (IOException e) {
      problems.add(unreadable(dir, e));
    }
    result.sort(null);
    return result;
  }

  /** A runtime's bolt database, when there; one that is there but cannot be opened is a problem. */
  static Optional<BoltReader> database(Path file, String what, List<String> problems) {
    if (!present(file, problems)) {
      return Optional.empty();
    }
    Optional<BoltReader> db = BoltReader.open(file);
    if (db.isEmpty()) {
      problems.add("cannot read " + what + " in " + file + " (not readable, or not a bolt database)");
    }
    return db;
  }

  private static String unreadable(Path path, IOException e) {
    String why = e instanceof AccessDeniedException
        ? "permission denied (capaudit reads runtime state as root with CAP_DAC_READ_SEARCH)" : BoundedFiles.reason(e);
    return "cannot read runtime state " + path + ": " + why + "; its containers' processes cannot be told from the"
        + " host's";
  }

  static boolean isContainerId(String name) {
    return name.matches("[0-9a-f]{64}");
  }
}

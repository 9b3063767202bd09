package dev.capaudit.scanner.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code docker inspect} output a snapshot names, strictly: a key given twice (two {@code CapAdd}, two
 * {@code Privileged}) is an error at its line, since the engine never writes one and either copy could be the lie.
 */
final class SnapshotInspect {
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private SnapshotInspect() {}

  /** The one container the file describes, or empty with the reason added to {@code errors}. */
  static Optional<InspectedContainer> read(Path file, List<String> errors) {
    JsonNode root;
    try {
      root = JSON.readTree(BoundedFiles.readText(file, BoundedFiles.DOCUMENT_LIMIT, "inspect"));
    } catch (InputFileException e) {
      errors.add(e.getMessage());
      return Optional.empty();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      errors.add("inspect " + file + (at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr() + ":"
          + at.getColumnNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse("invalid JSON"));
      return Optional.empty();
    }
    List<JsonNode> containers = new ArrayList<>();
    if (root != null && root.isArray()) {
      root.forEach(containers::add);
    } else if (root != null && root.isObject()) {
      containers.add(root);
    } else {
      errors.add("inspect " + file + ": not docker inspect output: expected a JSON array or object");
      return Optional.empty();
    }
    if (containers.size() != 1 || !containers.get(0).isObject()) {
      errors.add("inspect " + file + ": expected one container but found " + containers.size());
      return Optional.empty();
    }
    // A snapshot records no kernel; ALL and privileged expand to every capability this model knows.
    return Optional.of(InspectParser.parse(containers.get(0), CapabilityMask.ALL_KNOWN));
  }
}

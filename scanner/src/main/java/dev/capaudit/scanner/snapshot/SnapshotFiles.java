package dev.capaudit.scanner.snapshot;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import dev.capaudit.scanner.yaml.StrictYaml;
import dev.capaudit.scanner.yaml.YamlLocator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads captured snapshots. A malformed snapshot file (too large, not UTF-8, a duplicate key, an alias, an unknown
 * key) is an error for the whole run; a status text or inspect file that cannot be read is an error of its target
 * only, so the other targets are still judged and that one is never passed.
 */
public final class SnapshotFiles {
  public static final String KIND = "Snapshot";

  public static final String API_VERSION = "capaudit/v1";

  private static final ObjectMapper YAML = StrictYaml.mapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));

  private SnapshotFiles() {}

  /** Reads a snapshot file; its size is checked before a byte of it is parsed ({@link BoundedFiles#DOCUMENT_LIMIT}). */
  public static List<TargetSnapshot> load(Path file) throws SnapshotFileException {
    String text;
    try {
      text = BoundedFiles.readText(file, BoundedFiles.DOCUMENT_LIMIT, "snapshot");
    } catch (InputFileException e) {
      throw new SnapshotFileException(e.getMessage());
    }
    SnapshotSpec spec;
    try {
      StrictYaml.check(YAML, text);
      spec = YAML.readValue(text, SnapshotSpec.class);
    } catch (JsonProcessingException e) {
      throw new SnapshotFileException("invalid snapshot " + file + where(e, text) + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (spec == null || spec.targets() == null) {
      throw new SnapshotFileException("snapshot " + file + " has no targets");
    }
    if (!API_VERSION.equals(spec.apiVersion())) {
      throw new SnapshotFileException("snapshot " + file + ": apiVersion must be '" + API_VERSION + "' but is '"
          + spec.apiVersion() + "'");
    }
    if (!KIND.equals(spec.kind())) {
      throw new SnapshotFileException("snapshot " + file + ": kind must be '" + KIND + "' but is '" + spec.kind()
          + "'");
    }
    Path base = Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of("."));
    List<TargetSnapshot> targets = new ArrayList<>();
    for (SnapshotSpec.TargetSpec target : spec.targets()) {
      targets.add(new TargetReader(base).read(target));
    }
    return targets;
  }

  /** ":line:column" of the offending key where it can be found, else where the parser stopped. */
  private static String where(JsonProcessingException e, String text) {
    JsonLocation location = e.getLocation();
    if (e instanceof MismatchedInputException mismatch) {
      // Jackson reports where it stopped (often the end of the mapping); the key itself is more use to a reader.
      location = YamlLocator.locate(YAML, text, mismatch.getPath()).orElse(location);
    }
    return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr() + ":"
        + location.getColumnNr();
  }
}

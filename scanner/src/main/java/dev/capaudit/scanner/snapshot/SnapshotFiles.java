package dev.capaudit.scanner.snapshot;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.yaml.YamlLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads captured snapshots. A malformed snapshot file is an error for the whole run; a status text or inspect file
 * that cannot be read is an error of its target only, so the other targets are still judged.
 */
public final class SnapshotFiles {
  public static final String KIND = "Snapshot";

  public static final String API_VERSION = "capaudit/v1";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));

  private SnapshotFiles() {}

  public static List<TargetSnapshot> load(Path file) throws SnapshotFileException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SnapshotFileException("cannot read snapshot " + file + ": " + e.getMessage());
    }
    SnapshotSpec spec;
    try {
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
    return location == null ? "" : ":" + location.getLineNr() + ":" + location.getColumnNr();
  }

  /** Reads one target, turning every unreadable part into an error of that target. */
  private static final class TargetReader {
    private final Path base;
    private final List<String> errors = new ArrayList<>();

    TargetReader(Path base) {
      this.base = base;
    }

    TargetSnapshot read(SnapshotSpec.TargetSpec spec) {
      errors.addAll(Objects.requireNonNullElse(spec.errors(), List.of()));
      Optional<InspectedContainer> inspected = inspect(spec.inspect());
      List<ProcessSnapshot> processes = new ArrayList<>();
      for (SnapshotSpec.StatusSpec status : Objects.requireNonNullElse(spec.processes(),
          List.<SnapshotSpec.StatusSpec>of())) {
        status(status.file(), status.status()).ifPresent(s -> processes.add(ProcessSnapshot.of(s, source(status))));
      }
      List<ExecView> exec = new ArrayList<>();
      for (SnapshotSpec.ExecSpec view : Objects.requireNonNullElse(spec.exec(), List.<SnapshotSpec.ExecSpec>of())) {
        status(view.file(), view.status()).ifPresent(s -> exec.add(new ExecView(view.user(), s.runsAsRoot(),
            s.capabilities(), s.noNewPrivs(), ObservationSource.EXEC_PROBE)));
      }
      Optional<ContainerConfig> config = inspected.map(InspectedContainer::config);
      return new TargetSnapshot(
          kind(spec.kind(), inspected.isPresent()),
          firstNonBlank(spec.id(), inspected.map(InspectedContainer::id).orElse("")),
          firstNonBlank(spec.name(), inspected.map(InspectedContainer::name).orElse("unnamed")),
          firstNonBlank(spec.image(), inspected.map(InspectedContainer::image).orElse("")),
          spec.labels() != null ? spec.labels() : inspected.map(InspectedContainer::labels).orElse(Map.of()),
          config, processes, exec, errors, List.of());
    }

    private Optional<InspectedContainer> inspect(String file) {
      if (file == null) {
        return Optional.empty();
      }
      try {
        // A snapshot records no kernel; ALL and privileged expand to every capability this model knows.
        List<InspectedContainer> containers = InspectParser.parse(read(file), CapabilityMask.ALL_KNOWN);
        if (containers.size() != 1) {
          errors.add("inspect " + file + ": expected one container but found " + containers.size());
          return Optional.empty();
        }
        return Optional.of(containers.get(0));
      } catch (IOException e) {
        errors.add("inspect " + file + ": " + e.getMessage());
        return Optional.empty();
      }
    }

    private Optional<ProcStatus> status(String file, String inline) {
      String label = file != null ? file : "inline status";
      try {
        return Optional.of(ProcStatusParser.parse(inline != null ? inline : read(file)));
      } catch (ProcStatusFormatException e) {
        errors.add("status " + label + ": " + e.getMessage());
      } catch (IOException e) {
        errors.add("status " + label + ": cannot read: " + e.getMessage());
      }
      return Optional.empty();
    }

    private String read(String file) throws IOException {
      if (file == null) {
        throw new IOException("neither file nor status given");
      }
      return Files.readString(base.resolve(file), StandardCharsets.UTF_8);
    }

    private ObservationSource source(SnapshotSpec.StatusSpec status) {
      if (status.source() == null) {
        return ObservationSource.SNAPSHOT;
      }
      return Arrays.stream(ObservationSource.values()).filter(s -> s.id().equals(status.source())).findFirst()
          .orElseGet(() -> {
            errors.add("unknown source '" + status.source() + "'; kept as snapshot");
            return ObservationSource.SNAPSHOT;
          });
    }

    private TargetKind kind(String kind, boolean inspected) {
      if (kind == null) {
        return inspected ? TargetKind.CONTAINER : TargetKind.SNAPSHOT;
      }
      try {
        return TargetKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add("unknown target kind '" + kind + "'");
        return TargetKind.SNAPSHOT;
      }
    }

    private static String firstNonBlank(String first, String second) {
      return first != null && !first.isBlank() ? first : second;
    }
  }
}

package dev.capaudit.scanner.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The docker contexts a user has, as the docker CLI keeps them: {@code $DOCKER_CONFIG/contexts/meta/HASH/meta.json}
 * (default {@code ~/.docker}). Only their names are read here; docker-java resolves each context's endpoint and
 * TLS material when it connects.
 */
public final class DockerContexts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CONTEXTS = 256;

  private DockerContexts() {}

  /** Every context's name, sorted, {@code default} not included (it is the engine named by nothing). */
  public static List<String> names(Map<String, String> environment) throws EngineConfigException {
    Path meta = configDirectory(environment).resolve("contexts").resolve("meta");
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(meta)) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(meta, Files::isDirectory)) {
      for (Path entry : entries) {
        if (names.size() >= MAX_CONTEXTS) {
          break;
        }
        JsonNode context = JSON.readTree(BoundedFiles.readText(entry.resolve("meta.json"), 1024 * 1024,
            "docker context"));
        if (context != null && context.path("Name").isTextual()) {
          names.add(context.path("Name").asText());
        }
      }
    } catch (IOException | InputFileException e) {
      throw new EngineConfigException("cannot list the docker contexts in " + meta + ": " + e.getMessage());
    }
    names.sort(null);
    return names;
  }

  private static Path configDirectory(Map<String, String> environment) {
    String config = environment.get("DOCKER_CONFIG");
    if (config != null && !config.isBlank()) {
      return Path.of(config);
    }
    return Path.of(System.getProperty("user.home"), ".docker");
  }
}

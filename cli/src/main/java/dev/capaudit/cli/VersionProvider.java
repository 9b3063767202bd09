package dev.capaudit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version, commit and libraries of this build, so a report or a bug report names exactly what wrote it. Maven
 * filters the version and commit into the jar; docker-java's own Maven metadata gives its version.
 */
public final class VersionProvider implements IVersionProvider {
  private static final String DOCKER_JAVA = "/META-INF/maven/com.github.docker-java/docker-java-core/pom.properties";

  public static String version() {
    return properties("version.properties").getProperty("version", "unknown");
  }

  /** The abbreviated commit, with {@code -dirty} for uncommitted changes; {@code unknown} outside git. */
  static String commit() {
    Properties build = properties("version.properties");
    String commit = build.getProperty("commit", "");
    if (commit.isBlank() || commit.startsWith("${")) {
      return "unknown";
    }
    return commit + ("true".equals(build.getProperty("dirty")) ? "-dirty" : "");
  }

  @Override
  public String[] getVersion() {
    String dockerJava;
    try (InputStream in = VersionProvider.class.getResourceAsStream(DOCKER_JAVA)) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      dockerJava = p.getProperty("version", "unknown");
    } catch (IOException e) {
      dockerJava = "unknown";
    }
    return new String[] {
        "capaudit " + version() + " (commit " + commit() + ")",
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        "docker-java " + dockerJava};
  }

  private static Properties properties(String resource) {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(resource)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // an unreadable resource is an unknown version, not a failed command
    }
    return properties;
  }
}

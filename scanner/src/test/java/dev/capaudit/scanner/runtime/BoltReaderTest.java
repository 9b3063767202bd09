package dev.capaudit.scanner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.scanner.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containerd's real metadata database (samples/captured/runtime/containerd-k8s.io/meta.db.gz). */
class BoltReaderTest {
  private static final String APP = "7c6aa05f364ee06424c38d22a98338bfb02192d96ec99442de24d8bec3027fd7";

  @TempDir
  Path temp;

  private Path metaDb() throws IOException {
    Path db = temp.resolve("meta.db");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(
        TestFiles.sample("captured/runtime/containerd-k8s.io/meta.db.gz")))) {
      Files.copy(in, db);
    }
    return db;
  }

  @Test
  void reads_a_containers_labels_from_containerds_metadata() throws IOException {
    try (BoltReader reader = BoltReader.open(metaDb()).orElseThrow()) {
      assertThat(reader.bucket(List.of("v1", "k8s.io", "containers", APP, "labels"))).hasValueSatisfying(labels ->
          assertThat(labels).containsEntry("io.kubernetes.pod.name", "web-0")
              .containsEntry("io.kubernetes.pod.namespace", "shop")
              .containsEntry("io.kubernetes.container.name", "app")
              .containsEntry("io.cri-containerd.kind", "container"));
    }
  }

  @Test
  void lists_namespaces_and_containers() throws IOException {
    try (BoltReader reader = BoltReader.open(metaDb()).orElseThrow()) {
      assertThat(reader.buckets(List.of("v1"))).contains("k8s.io");
      assertThat(reader.buckets(List.of("v1", "k8s.io", "containers"))).contains(APP);
      assertThat(reader.bucket(List.of("v1", "k8s.io", "containers", "f".repeat(64), "labels"))).isEmpty();
    }
  }

  @Test
  void a_file_that_is_no_bolt_database_is_refused() throws IOException {
    Path junk = Files.write(temp.resolve("junk.db"), new byte[8192]);

    assertThat(BoltReader.open(junk)).isEmpty();
    assertThat(BoltReader.open(temp.resolve("missing.db"))).isEmpty();
  }

  @Test
  void a_truncated_database_fails_without_hanging_or_overreading() throws IOException {
    Path db = metaDb();
    byte[] bytes = Files.readAllBytes(db);
    Path truncated = Files.write(temp.resolve("truncated.db"), java.util.Arrays.copyOf(bytes, 3 * 4096));

    try (BoltReader reader = BoltReader.open(truncated).orElseThrow()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.bucket(List.of("v1", "k8s.io", "containers")))
          .isInstanceOf(IOException.class);
    }
  }
}

package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar users run, not the test classpath: it once lacked the manifest FreeMarker's records need. */
class PackagedJarIT {
  @TempDir
  Path temp;

  @Test
  void the_packaged_jar_writes_every_format() throws Exception {
    Path jar = RepoPaths.root().resolve("cli/target/capaudit.jar");
    Path snapshot = RepoPaths.root().resolve("samples/cases/setpriv-sysadmin-regression-0x200100/snapshot.yaml");

    DockerHarness.Result run = DockerHarness.run(List.of("java", "-jar", jar.toString(), "scan", "--policy",
        "nemoclaw-sandbox", "--snapshot", snapshot.toString(), "--html", temp.resolve("r.html").toString(),
        "--json", temp.resolve("r.json").toString(), "--junit", temp.resolve("r.xml").toString(), "--sarif",
        temp.resolve("r.sarif").toString(), "--markdown", temp.resolve("r.md").toString()), 120);

    assertThat(run.exitCode()).as(run.output()).isEqualTo(4);
    assertThat(run.output()).doesNotContain("SLF4J").doesNotContain("Exception");
    assertThat(Files.readString(temp.resolve("r.html"))).contains("agent-sysadmin-regression").contains("0x200100");
    for (String file : List.of("r.json", "r.xml", "r.sarif", "r.md")) {
      assertThat(Files.size(temp.resolve(file))).as(file).isPositive();
    }
  }
}

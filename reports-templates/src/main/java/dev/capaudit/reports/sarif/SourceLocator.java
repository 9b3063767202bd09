package dev.capaudit.reports.sarif;

import dev.capaudit.reports.SourceFile;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.FindingContext;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.model.KubernetesIdentity;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the line in a {@code --source} file that grants what a finding is about: a compose service's
 * {@code cap_add} entry or {@code privileged}, a Kubernetes container's {@code securityContext}, a Dockerfile's
 * {@code USER} or {@code ENTRYPOINT}. Files are read line by line by indentation, as people write them; a file
 * capaudit cannot place a target in maps nothing.
 */
final class SourceLocator {
  private static final String COMPOSE_SERVICE_LABEL = "com.docker.compose.service";
  private static final Pattern DOCKERFILE_FROM = Pattern.compile("(?i)^\\s*FROM\\s+\\S+.*");

  /** A line of a source file, 1-based. */
  record Place(String uri, int line) {}

  private final List<SourceFile> sources;

  SourceLocator(List<SourceFile> sources) {
    this.sources = sources;
  }

  /**
   * A configuration finding goes to the compose service or manifest container that configures it; what a process or
   * exec shell holds goes to the Dockerfile when one is given, which is where a process's user and drops are set.
   */
  Optional<Place> locate(TargetSnapshot target, Finding finding) {
    boolean config = finding.first().where() == FindingContext.CONFIG;
    if (!config) {
      for (SourceFile file : sources) {
        if (isDockerfile(file)) {
          Optional<Integer> line = dockerfile(file, finding);
          if (line.isPresent()) {
            return Optional.of(new Place(file.uri(), line.get()));
          }
        }
      }
    }
    for (SourceFile file : sources) {
      if (!isDockerfile(file)) {
        Optional<Integer> line = isCompose(file) ? compose(file, target, finding) : kubernetes(file, target, finding);
        if (line.isPresent()) {
          return Optional.of(new Place(file.uri(), line.get()));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isDockerfile(SourceFile file) {
    return file.uri().toLowerCase(Locale.ROOT).contains("dockerfile")
        || file.lines().stream().anyMatch(l -> DOCKERFILE_FROM.matcher(l).matches());
  }

  private static boolean isCompose(SourceFile file) {
    return file.lines().stream().anyMatch(l -> l.startsWith("services:"));
  }

  /** A root holder is fixed by a non-root USER; everything else by what the ENTRYPOINT drops. */
  private static Optional<Integer> dockerfile(SourceFile file, Finding finding) {
    Optional<Integer> user = last(file, "USER");
    Optional<Integer> entrypoint = last(file, "ENTRYPOINT").or(() -> last(file, "CMD"));
    boolean root = finding.first().context().id().startsWith("root");
    return root ? user.or(() -> entrypoint) : entrypoint.or(() -> user);
  }

  /** The last instruction of that name: the final stage's is the one the image runs. */
  private static Optional<Integer> last(SourceFile file, String instruction) {
    Pattern pattern = Pattern.compile("(?i)^\\s*" + instruction + "\\s+.*");
    for (int i = file.lines().size() - 1; i >= 0; i--) {
      if (pattern.matcher(file.lines().get(i)).matches()) {
        return Optional.of(i + 1);
      }
    }
    return Optional.empty();
  }

  private static Optional<Integer> compose(SourceFile file, TargetSnapshot target, Finding finding) {
    String service = target.labels().getOrDefault(COMPOSE_SERVICE_LABEL, target.name());
    Optional<Block> block = Block.under(file, "services").flatMap(s -> s.child(service));
    return block.map(b -> settingLine(b, finding, "cap_add", "privileged"));
  }

  private static Optional<Integer> kubernetes(SourceFile file, TargetSnapshot target, Finding finding) {
    String container = target.origin().kubernetes().map(KubernetesIdentity::container).orElse(target.name());
    Optional<Block> block = Block.listItem(file, "name", container);
    return block.map(b -> b.child("securityContext").map(sc -> sc.child("capabilities")
        .map(caps -> settingLine(caps, finding, "add", "privileged"))
        .orElseGet(() -> settingLine(sc, finding, "add", "privileged"))).orElse(b.start()));
  }

  /** The added capability's own entry, the privileged flag, the list of adds, or the block itself. */
  private static int settingLine(Block block, Finding finding, String adds, String privileged) {
    if (finding.rule() == Rules.PRIVILEGED_CONTAINER) {
      return block.key(privileged).orElse(block.start());
    }
    Optional<Block> list = block.child(adds);
    String wanted = finding.capability().name().replaceFirst("^CAP_", "");
    return list.flatMap(l -> l.item(wanted)).or(() -> list.map(Block::start)).orElse(block.start());
  }
}

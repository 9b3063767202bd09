package dev.capaudit.scanner.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds a container's OCI bundle ({@code config.json}) on the host, in the layouts of the runtimes:
 * <ul>
 *   <li>containerd's v2 tasks, {@code STATE/io.containerd.runtime.v2.task/NAMESPACE/ID/}: Docker's own containerd
 *       ({@code /run/docker/containerd/daemon/...}, namespace {@code moby}, Debian's docker.io), a system
 *       containerd ({@code /run/containerd/...}: Docker with it, Kubernetes in {@code k8s.io});
 *   <li>containers/storage, {@code ROOT/overlay-containers/ID/userdata/}: Podman (under {@code /var/lib} for a
 *       persistent store, {@code /run} for a transient one) and CRI-O (under {@code /run});
 *   <li>{@code --runtime-root DIR} for other layouts: DIR holds either of the above shapes;
 *   <li>runtime-agnostic: the working directory of the process that started the container's init (the shim).
 * </ul>
 */
public final class BundleLocator {
  /** A config.json is some KiB; a custom seccomp profile can make it a few hundred. */
  static final int SPEC_LIMIT = 4 * 1024 * 1024;
  /** Namespaces of a containerd are few; a state directory with more entries is not one. */
  private static final int MAX_NAMESPACES = 256;
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** Where a runtime keeps bundles, and in which shape. */
  record Root(Path directory, Shape shape, String layout) {}

  /** How a bundle directory is named under a root. */
  enum Shape {
    /** {@code ROOT/NAMESPACE/ID}. */
    NAMESPACED,
    /** {@code ROOT/ID/userdata}. */
    STORAGE,
    /** {@code ROOT/ID}. */
    FLAT
  }

  static final List<Root> DEFAULT_ROOTS = List.of(
      new Root(Path.of("/run/docker/containerd/daemon/io.containerd.runtime.v2.task"), Shape.NAMESPACED,
          "docker's containerd"),
      new Root(Path.of("/run/containerd/io.containerd.runtime.v2.task"), Shape.NAMESPACED, "containerd"),
      new Root(Path.of("/var/lib/containers/storage/overlay-containers"), Shape.STORAGE, "containers/storage"),
      new Root(Path.of("/run/containers/storage/overlay-containers"), Shape.STORAGE, "containers/storage (run)"));

  private final HostProc proc;
  private final Path hostRoot;
  private final List<Root> roots;
  private final List<Root> runtimeStates;

  public BundleLocator(HostProc proc, List<Path> runtimeRoots) {
    this(proc, Path.of("/"), runtimeRoots);
  }

  /** @param hostRoot where the host's filesystem is: the runtimes' default layouts are looked for under it */
  public BundleLocator(HostProc proc, Path hostRoot, List<Path> runtimeRoots) {
    this(proc, hostRoot, withUserRoots(runtimeRoots, under(hostRoot, DEFAULT_ROOTS)),
        under(hostRoot, RUNTIME_STATES));
  }

  private static List<Root> under(Path hostRoot, List<Root> roots) {
    return roots.stream().map(root -> new Root(hostRoot.resolve(root.directory().toString().substring(1)),
        root.shape(), root.layout())).toList();
  }

  /** For tests: these layouts and runtime state directories only. */
  BundleLocator(HostProc proc, List<Root> roots, List<Root> runtimeStates) {
    this(proc, Path.of("/"), roots, runtimeStates);
  }

  private BundleLocator(HostProc proc, Path hostRoot, List<Root> roots, List<Root> runtimeStates) {
    this.proc = proc;
    this.hostRoot = hostRoot;
    this.roots = List.copyOf(roots);
    this.runtimeStates = List.copyOf(runtimeStates);
  }

  /** The user's roots first, each tried in every shape, then the runtimes' defaults. */
  private static List<Root> withUserRoots(List<Path> runtimeRoots, List<Root> defaults) {
    List<Root> all = new ArrayList<>();
    for (Path root : runtimeRoots) {
      String layout = "--runtime-root " + root;
      all.add(new Root(root, Shape.FLAT, layout));
      all.add(new Root(root, Shape.NAMESPACED, layout));
      all.add(new Root(root, Shape.STORAGE, layout));
      all.add(new Root(root.resolve("io.containerd.runtime.v2.task"), Shape.NAMESPACED, layout));
      all.add(new Root(root.resolve("overlay-containers"), Shape.STORAGE, layout));
    }
    all.addAll(defaults);
    return List.copyOf(all);
  }

  /**
   * The container's bundle, or empty when no layout has it.
   *
   * @param initPid the container's init as the host sees it, for the shim fallback (0 when not running)
   * @param problems where a bundle found but unreadable is reported
   */
  public Optional<OciBundle> find(String containerId, int initPid, Consumer<String> problems) {
    if (!containerId.matches("[0-9a-f]{12,64}")) {
      return Optional.empty();
    }
    for (Root root : roots) {
      for (Path candidate : candidates(root, containerId)) {
        if (Files.isRegularFile(candidate.resolve("config.json"))) {
          return read(candidate, root.layout(), problems);
        }
      }
    }
    Optional<OciBundle> recorded = fromRuntimeState(containerId, problems);
    if (recorded.isPresent()) {
      return recorded;
    }
    return initPid > 0 ? fromShim(containerId, initPid, problems) : Optional.empty();
  }

  /** Where runc and crun keep each container's state: it records the bundle the container was created from. */
  static final List<Root> RUNTIME_STATES = List.of(
      new Root(Path.of("/run/docker/runtime-runc"), Shape.NAMESPACED, "runc state (docker)"),
      new Root(Path.of("/run/containerd/runc"), Shape.NAMESPACED, "runc state (containerd)"),
      new Root(Path.of("/run/runc"), Shape.FLAT, "runc state"),
      new Root(Path.of("/run/crun"), Shape.FLAT, "crun state"));

  /**
   * The bundle that runc's {@code state.json} (label {@code bundle=...}) or crun's {@code status} names: the one
   * fallback that knows every runc-based runtime's bundle, whatever its layout.
   */
  private Optional<OciBundle> fromRuntimeState(String id, Consumer<String> problems) {
    for (Root root : runtimeStates) {
      for (Path dir : candidates(root, id)) {
        for (String file : List.of("state.json", "status")) {
          // The runtime recorded a path of the host's: under --host-root it is found below that root.
          Optional<Path> bundle = recordedBundle(dir.resolve(file)).map(this::onHost);
          if (bundle.isPresent() && belongsTo(bundle.get(), id)
              && Files.isRegularFile(bundle.get().resolve("config.json"))) {
            return read(bundle.get(), root.layout() + " " + dir.resolve(file), problems);
          }
        }
      }
    }
    return Optional.empty();
  }

  private Path onHost(Path recorded) {
    Path normal = recorded.normalize();
    if (!normal.isAbsolute() || hostRoot.equals(Path.of("/"))) {
      return normal;
    }
    return hostRoot.resolve(normal.toString().substring(1));
  }

  private static Optional<Path> recordedBundle(Path state) {
    if (!Files.isRegularFile(state)) {
      return Optional.empty();
    }
    try {
      JsonNode tree = JSON.readTree(BoundedFiles.readText(state, SPEC_LIMIT, "runtime state"));
      if (tree.path("bundle").isTextual()) {
        return Optional.of(Path.of(tree.path("bundle").asText()));
      }
      for (JsonNode label : tree.path("config").path("labels")) {
        if (label.asText().startsWith("bundle=")) {
          return Optional.of(Path.of(label.asText().substring("bundle=".length())));
        }
      }
    } catch (InputFileException | IOException | RuntimeException e) {
      // A state file we cannot read names no bundle; the other fallbacks still run.
    }
    return Optional.empty();
  }

  /** A bundle directory is named by the container ({@code .../ID}) or holds its userdata ({@code .../ID/userdata}). */
  private static boolean belongsTo(Path bundle, String id) {
    Path name = bundle.getFileName();
    Path parent = bundle.getParent() == null ? null : bundle.getParent().getFileName();
    return name != null && (name.toString().equals(id)
        || name.toString().equals("userdata") && parent != null && parent.toString().equals(id));
  }

  private static List<Path> candidates(Root root, String id) {
    return switch (root.shape()) {
      case FLAT -> List.of(root.directory().resolve(id));
      case STORAGE -> List.of(root.directory().resolve(id).resolve("userdata"));
      case NAMESPACED -> namespaces(root.directory()).stream().map(ns -> ns.resolve(id)).toList();
    };
  }

  private static List<Path> namespaces(Path root) {
    List<Path> namespaces = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return namespaces;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path entry : entries) {
        if (namespaces.size() >= MAX_NAMESPACES) {
          break;
        }
        namespaces.add(entry);
      }
    } catch (IOException e) {
      // An unreadable state directory holds no bundle we could use.
    }
    return namespaces;
  }

  /**
   * The shim runs in the bundle directory; for a pod, one shim serves the sandbox and its containers, so its
   * directory may be the sandbox's, beside the container's own.
   */
  private Optional<OciBundle> fromShim(String id, int initPid, Consumer<String> problems) {
    Optional<Integer> parent = proc.status(initPid).flatMap(BundleLocator::ppid);
    if (parent.isEmpty() || parent.get() <= 1) {
      return Optional.empty();
    }
    Path cwd = proc.root().resolve(Integer.toString(parent.get())).resolve("cwd");
    Path target;
    try {
      target = Files.readSymbolicLink(cwd);
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
    // Podman's conmon keeps whatever directory podman ran in: only a directory named for the container counts.
    Path candidate = belongsTo(target, id) ? cwd : cwd.resolve("..").resolve(id);
    if (Files.isRegularFile(candidate.resolve("config.json"))) {
      return read(candidate, "shim working directory " + target, problems);
    }
    return Optional.empty();
  }

  private static Optional<Integer> ppid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("PPid:")) {
        try {
          return Optional.of(Integer.parseInt(line.substring(5).trim()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  static Optional<OciBundle> read(Path directory, String layout, Consumer<String> problems) {
    try {
      String text = BoundedFiles.readText(directory.resolve("config.json"), SPEC_LIMIT, "OCI spec");
      JsonNode raw = JSON.readTree(text);
      if (raw == null || !raw.isObject()) {
        problems.accept("the OCI spec " + directory.resolve("config.json") + " is not a JSON object");
        return Optional.empty();
      }
      return Optional.of(new OciBundle(directory, layout, JSON.treeToValue(raw, OciSpec.class), raw));
    } catch (InputFileException e) {
      problems.accept(e.getMessage());
    } catch (IOException e) {
      problems.accept("the OCI spec " + directory.resolve("config.json") + " cannot be read: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    return Optional.empty();
  }
}

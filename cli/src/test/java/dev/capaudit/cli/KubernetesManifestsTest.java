package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests in deploy/kubernetes/ are what a cluster accepts and no more than capaudit needs: each document is
 * valid against Kubernetes' own OpenAPI v3 schema of its kind (shipped in test resources, one Kubernetes version),
 * has no field that schema does not define (as {@code kubectl --validate=strict} refuses), and grants exactly the
 * privileges the README's table lists. Mutated copies show each check fails when it should.
 */
class KubernetesManifestsTest {
  private static final Path ROOT = RepoPaths.root();
  private static final Path DEPLOY = ROOT.resolve("deploy/kubernetes");
  private static final Path OPENAPI = ROOT.resolve("cli/src/test/resources/kubernetes/openapi");
  private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApi SCHEMAS = OpenApi.load(OPENAPI);

  /** The only directory a capaudit pod may write on the node: the DaemonSet's reports. */
  private static final String REPORT_DIRECTORY = "/var/lib/capaudit";
  /** Where the engines' and runtimes' API sockets live: no mounted host path may be, or hold, one of these. */
  private static final List<String> SOCKETS = List.of("/run/containerd/containerd.sock",
      "/run/containerd/containerd.sock.ttrpc", "/run/docker/containerd/containerd.sock", "/run/docker.sock",
      "/var/run/docker.sock", "/run/podman/podman.sock", "/run/crio/crio.sock", "/var/run/crio/crio.sock",
      "/run/containerd/s", "/run/containerd/fifo");

  /** One YAML document and where it came from. */
  record Manifest(String source, JsonNode document) {
    @Override
    public String toString() {
      return source + " (" + document.path("kind").asText() + ")";
    }

    JsonNode podSpec() {
      return document.path("spec").path("template").path("spec");
    }
  }

  static Stream<Manifest> manifests() {
    List<Manifest> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        documents(ROOT.relativize(file).toString(), Files.readString(file), all::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    documents("run-jobs.sh --dry-run", renderJobs("kind-worker", "ip-10-0-1-2.ec2.internal"), all::add);
    return all.stream();
  }

  private static void documents(String source, String yaml, Consumer<Manifest> sink) {
    try {
      int index = 0;
      for (Iterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml); docs.hasNext(); index++) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          sink.accept(new Manifest(source + "#" + index, doc));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + source, e);
    }
  }

  /** The Jobs that run-jobs.sh renders for these nodes, without a cluster. */
  private static String renderJobs(String... nodes) {
    List<String> command = new ArrayList<>(List.of("bash", DEPLOY.resolve("run-jobs.sh").toString(), "--dry-run"));
    command.addAll(List.of(nodes));
    try {
      Path out = Files.createTempFile("capaudit-jobs", ".yaml");
      try {
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("run-jobs.sh --dry-run did not finish in 30 s");
        }
        assertThat(process.exitValue()).as("run-jobs.sh --dry-run exit code").isZero();
        return Files.readString(out);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Manifest only(String kind) {
    List<Manifest> found = manifests().filter(m -> m.source().startsWith("deploy/"))
        .filter(m -> m.document().path("kind").asText().equals(kind)).toList();
    assertThat(found).as("manifests of kind " + kind).hasSize(1);
    return found.get(0);
  }

  // ------------------------------------------------------------------------------------------------ the schema

  @Test
  void the_shipped_schemas_are_whole_and_define_the_kinds_deployed() throws IOException {
    String readme = Files.readString(OPENAPI.resolve("README.md"));
    for (String file : OpenApi.FILES) {
      Matcher recorded = Pattern.compile(Pattern.quote(file) + "`[^\\n]*?total_chars (\\d+)").matcher(readme);
      assertThat(recorded.find()).as("README.md records total_chars for " + file).isTrue();
      String text = Files.readString(OPENAPI.resolve(file), StandardCharsets.UTF_8);
      assertThat(text.codePointCount(0, text.length())).as(file + " characters")
          .isEqualTo(Integer.parseInt(recorded.group(1)));
    }
    assertThat(SCHEMAS.schemaName("apps/v1", "DaemonSet")).contains("io.k8s.api.apps.v1.DaemonSet");
    assertThat(SCHEMAS.schemaName("batch/v1", "Job")).contains("io.k8s.api.batch.v1.Job");
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void every_manifest_is_valid_against_the_openapi_schema_of_its_kind(Manifest manifest) {
    assertThat(SCHEMAS.validate(manifest.document())).as(manifest.toString()).isEmpty();
    assertThat(SCHEMAS.unknownFields(manifest.document())).as(manifest.toString()).isEmpty();
  }

  @Test
  void a_misspelt_field_passes_the_openapi_schema_but_not_the_strict_check() {
    ObjectNode daemonSet = only("DaemonSet").document().deepCopy();
    ObjectNode securityContext = (ObjectNode) daemonSet.at("/spec/template/spec/containers/0/securityContext");
    securityContext.set("privilegd", securityContext.remove("privileged"));

    // Kubernetes' OpenAPI sets no additionalProperties: false, so the schema alone accepts the typo ...
    assertThat(SCHEMAS.validate(daemonSet)).isEmpty();
    // ... and the strict walk names it, as the API server's strict field validation would.
    assertThat(SCHEMAS.unknownFields(daemonSet))
        .containsExactly("spec.template.spec.containers[0].securityContext.privilegd");
  }

  @Test
  void a_value_of_the_wrong_type_is_rejected_by_the_schema() {
    ObjectNode job = only("Job").document().deepCopy();
    ((ObjectNode) job.at("/spec")).put("backoffLimit", "none");
    assertThat(SCHEMAS.validate(job)).anySatisfy(message -> assertThat(message).contains("backoffLimit"));

    // Deep inside the pod template, through several $refs: PodTemplateSpec, PodSpec, Container, SecurityContext.
    ObjectNode daemonSet = only("DaemonSet").document().deepCopy();
    ((ObjectNode) daemonSet.at("/spec/template/spec/containers/0/securityContext")).put("privileged", "no");
    assertThat(SCHEMAS.validate(daemonSet)).anySatisfy(message -> assertThat(message).contains("privileged"));

    // A field only the apps/v1 document defines (DaemonSetSpec), so that document is the one doing the checking.
    ObjectNode lateDaemonSet = only("DaemonSet").document().deepCopy();
    ((ObjectNode) lateDaemonSet.at("/spec")).put("minReadySeconds", "soon");
    assertThat(SCHEMAS.validate(lateDaemonSet)).anySatisfy(message -> assertThat(message).contains("minReadySeconds"));
  }

  @Test
  void a_document_of_a_kind_no_shipped_schema_defines_is_rejected() {
    ObjectNode policy = JSON.createObjectNode().put("apiVersion", "networking.k8s.io/v1").put("kind", "NetworkPolicy");
    assertThat(SCHEMAS.validate(policy)).containsExactly("no shipped OpenAPI schema defines networking.k8s.io/v1"
        + " NetworkPolicy");
  }

  // ------------------------------------------------------------------------------------------------ privileges

  @Test
  void the_daemonset_and_the_job_are_least_privileged() {
    Manifest daemonSet = only("DaemonSet");
    assertThat(privilegeProblems(daemonSet.podSpec(), Set.of(REPORT_DIRECTORY))).isEmpty();
    assertThat(privilegeProblems(only("Job").podSpec(), Set.of())).isEmpty();
    manifests().filter(m -> m.source().startsWith("run-jobs.sh"))
        .forEach(job -> assertThat(privilegeProblems(job.podSpec(), Set.of())).as(job.toString()).isEmpty());

    // The same properties, read directly off the DaemonSet.
    JsonNode pod = daemonSet.podSpec();
    JsonNode context = pod.at("/containers/0/securityContext");
    assertThat(pod.path("hostPID").asBoolean()).isTrue();
    assertThat(context.at("/capabilities/drop")).containsExactly(JSON.getNodeFactory().textNode("ALL"));
    assertThat(texts(context.at("/capabilities/add"))).containsExactly("SYS_PTRACE", "DAC_READ_SEARCH");
    assertThat(context.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(context.path("privileged").isBoolean() && !context.path("privileged").asBoolean()).isTrue();
    assertThat(context.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(hostPathMounts(pod)).containsEntry(REPORT_DIRECTORY, false)
        .allSatisfy((path, readOnly) -> assertThat(readOnly || path.equals(REPORT_DIRECTORY)).as(path).isTrue());
  }

  @Test
  void the_pods_mount_exactly_the_state_directories_smoke_sh_mounts_and_no_socket() throws IOException {
    String smoke = Files.readString(ROOT.resolve("deploy/image/smoke.sh"));
    Matcher list = Pattern.compile("(?s)\\nSTATE_DIRS=\\((.*?)\\)").matcher(smoke);
    assertThat(list.find()).as("STATE_DIRS in smoke.sh").isTrue();
    Set<String> smokeDirs = Stream.of(list.group(1).trim().split("\\s+")).collect(Collectors.toSet());
    assertThat(smokeDirs).hasSize(10);
    for (String kind : List.of("DaemonSet", "Job")) {
      Map<String, Boolean> mounts = hostPathMounts(only(kind).podSpec());
      mounts.remove(REPORT_DIRECTORY);
      assertThat(mounts.keySet()).as(kind).containsExactlyInAnyOrderElementsOf(smokeDirs);
    }
  }

  /** One way each property can go wrong; each must be caught. */
  static Stream<Object[]> mutations() {
    return Stream.of(
        mutation("an extra capability", pod -> ((ArrayNode) pod.at("/containers/0/securityContext/capabilities/add"))
            .add("NET_ADMIN"), "capabilities.add must be exactly [SYS_PTRACE, DAC_READ_SEARCH]"),
        mutation("a capability not dropped", pod -> ((ArrayNode) pod.at("/containers/0/securityContext/capabilities"
            + "/drop")).removeAll(), "capabilities.drop must be exactly [ALL]"),
        mutation("privileged", pod -> ((ObjectNode) pod.at("/containers/0/securityContext")).put("privileged", true),
            "privileged must be false"),
        mutation("escalation", pod -> ((ObjectNode) pod.at("/containers/0/securityContext"))
            .put("allowPrivilegeEscalation", true), "allowPrivilegeEscalation must be false"),
        mutation("a writable root", pod -> ((ObjectNode) pod.at("/containers/0/securityContext"))
            .remove("readOnlyRootFilesystem"), "readOnlyRootFilesystem must be true"),
        mutation("no seccomp", pod -> ((ObjectNode) pod.at("/containers/0/securityContext/seccompProfile"))
            .put("type", "Unconfined"), "seccompProfile.type must be RuntimeDefault"),
        mutation("another user", pod -> ((ObjectNode) pod.at("/containers/0/securityContext"))
            .put("runAsUser", 1000), "runAsUser must be 0"),
        mutation("no host pid namespace", pod -> ((ObjectNode) pod).put("hostPID", false), "hostPID must be true"),
        mutation("the host network", pod -> ((ObjectNode) pod).put("hostNetwork", true), "hostNetwork must be unset"),
        mutation("a token", pod -> ((ObjectNode) pod).put("automountServiceAccountToken", true),
            "automountServiceAccountToken must be false"),
        mutation("no limits", pod -> ((ObjectNode) pod.at("/containers/0/resources")).remove("limits"),
            "resources.limits must set cpu and memory"),
        mutation("a writable state mount", pod -> {
          for (JsonNode mount : pod.at("/containers/0/volumeMounts")) {
            if (mount.path("name").asText().equals("containerd-tasks")) {
              ((ObjectNode) mount).remove("readOnly");
            }
          }
        }, "/run/containerd/io.containerd.runtime.v2.task is mounted writable"),
        mutation("the engine's socket directory", pod -> {
          ((ArrayNode) pod.path("volumes")).addObject().put("name", "run-containerd").putObject("hostPath")
              .put("path", "/run/containerd");
          ((ArrayNode) pod.at("/containers/0/volumeMounts")).addObject().put("name", "run-containerd")
              .put("mountPath", "/host/run/containerd").put("readOnly", true);
        }, "/run/containerd holds the socket /run/containerd/containerd.sock"));
  }

  private static Object[] mutation(String what, Consumer<JsonNode> change, String expected) {
    return new Object[] {what, change, expected};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutations")
  void a_mutated_daemonset_is_refused(String what, Consumer<JsonNode> change, String expected) {
    JsonNode daemonSet = only("DaemonSet").document().deepCopy();
    change.accept(daemonSet.at("/spec/template/spec"));

    assertThat(privilegeProblems(daemonSet.at("/spec/template/spec"), Set.of(REPORT_DIRECTORY)))
        .anySatisfy(problem -> assertThat(problem).contains(expected));
  }

  /** Every way the pod spec grants more than capaudit needs, one message each; empty when it grants exactly that. */
  static List<String> privilegeProblems(JsonNode pod, Set<String> writable) {
    List<String> problems = new ArrayList<>();
    expect(problems, pod.path("hostPID").asBoolean(false), "hostPID must be true");
    for (String field : List.of("hostNetwork", "hostIPC")) {
      expect(problems, !pod.path(field).asBoolean(false), field + " must be unset");
    }
    expect(problems, pod.path("automountServiceAccountToken").isBoolean()
        && !pod.path("automountServiceAccountToken").asBoolean(), "automountServiceAccountToken must be false");
    List<JsonNode> containers = new ArrayList<>();
    pod.path("initContainers").forEach(containers::add);
    pod.path("containers").forEach(containers::add);
    pod.path("ephemeralContainers").forEach(containers::add);
    expect(problems, !containers.isEmpty(), "the pod has no container");
    for (JsonNode container : containers) {
      String name = "container " + container.path("name").asText() + ": ";
      JsonNode context = container.path("securityContext");
      expect(problems, texts(context.at("/capabilities/drop")).equals(List.of("ALL")),
          name + "capabilities.drop must be exactly [ALL]");
      List<String> added = texts(context.at("/capabilities/add"));
      expect(problems, added.size() == 2 && Set.copyOf(added).equals(Set.of("SYS_PTRACE", "DAC_READ_SEARCH")),
          name + "capabilities.add must be exactly [SYS_PTRACE, DAC_READ_SEARCH]");
      expect(problems, context.path("privileged").isBoolean() && !context.path("privileged").asBoolean(),
          name + "privileged must be false");
      expect(problems, context.path("allowPrivilegeEscalation").isBoolean()
          && !context.path("allowPrivilegeEscalation").asBoolean(), name + "allowPrivilegeEscalation must be false");
      expect(problems, context.path("readOnlyRootFilesystem").asBoolean(false),
          name + "readOnlyRootFilesystem must be true");
      expect(problems, context.path("runAsUser").isInt() && context.path("runAsUser").asInt() == 0,
          name + "runAsUser must be 0");
      String seccomp = context.at("/seccompProfile/type").asText(pod.at("/securityContext/seccompProfile/type")
          .asText(""));
      expect(problems, seccomp.equals("RuntimeDefault"), name + "seccompProfile.type must be RuntimeDefault");
      JsonNode limits = container.at("/resources/limits");
      expect(problems, limits.has("cpu") && limits.has("memory"), name + "resources.limits must set cpu and memory");
    }
    hostPathMounts(pod).forEach((path, readOnly) -> {
      expect(problems, readOnly || writable.contains(path), path + " is mounted writable");
      for (String socket : SOCKETS) {
        expect(problems, !(socket + "/").startsWith(path.endsWith("/") ? path : path + "/"),
            path + " holds the socket " + socket);
      }
    });
    for (String path : writable) {
      expect(problems, Boolean.FALSE.equals(hostPathMounts(pod).get(path)), path + " is not mounted writable");
    }
    // No scratch space either (emptyDir and the like): capaudit writes nothing but the report.
    for (JsonNode volume : pod.path("volumes")) {
      expect(problems, volume.has("hostPath"), "volume " + volume.path("name").asText() + " is not a hostPath");
    }
    return problems;
  }

  private static void expect(List<String> problems, boolean holds, String problem) {
    if (!holds) {
      problems.add(problem);
    }
  }

  /** Host path to read-only, for every hostPath volume a container mounts (a path mounted twice: both must be). */
  static Map<String, Boolean> hostPathMounts(JsonNode pod) {
    Map<String, String> volumes = new java.util.HashMap<>();
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.has("hostPath")) {
        volumes.put(volume.path("name").asText(), volume.at("/hostPath/path").asText());
      }
    }
    Map<String, Boolean> mounts = new java.util.TreeMap<>();
    List<JsonNode> containers = new ArrayList<>();
    pod.path("initContainers").forEach(containers::add);
    pod.path("containers").forEach(containers::add);
    for (JsonNode container : containers) {
      for (JsonNode mount : container.path("volumeMounts")) {
        String path = volumes.get(mount.path("name").asText());
        if (path != null) {
          mounts.merge(path, mount.path("readOnly").asBoolean(false), Boolean::logicalAnd);
        }
      }
    }
    return mounts;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  // ------------------------------------------------------------------------------------------------ OpenAPI

  /**
   * Kubernetes' OpenAPI v3 documents, as JSON Schema: each document is loaded whole as the schema root, so that its
   * {@code $ref: '#/components/schemas/...'} resolve; a kind's schema is a {@code $ref} to its component, found by
   * its {@code x-kubernetes-group-version-kind}. Draft 4 is the JSON Schema OpenAPI 3.0 extends; the
   * {@code x-kubernetes-*} keywords are annotations to a validator and are left to it to ignore.
   */
  static final class OpenApi {
    static final List<String> FILES = List.of("apis__apps__v1_openapi.json", "apis__batch__v1_openapi.json");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

    private final List<JsonNode> documents;

    private OpenApi(List<JsonNode> documents) {
      this.documents = documents;
    }

    static OpenApi load(Path directory) {
      List<JsonNode> documents = new ArrayList<>();
      for (String file : FILES) {
        try {
          documents.add(JSON.readTree(directory.resolve(file).toFile()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the OpenAPI document " + file, e);
        }
      }
      return new OpenApi(documents);
    }

    /** The component that defines this kind, in the first document that has one. */
    Optional<String> schemaName(String apiVersion, String kind) {
      return find(apiVersion, kind).map(Map.Entry::getKey);
    }

    private Optional<Map.Entry<String, JsonNode>> find(String apiVersion, String kind) {
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
      for (JsonNode document : documents) {
        for (Iterator<Map.Entry<String, JsonNode>> it = document.at("/components/schemas").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> schema = it.next();
          for (JsonNode gvk : schema.getValue().path("x-kubernetes-group-version-kind")) {
            if (gvk.path("group").asText().equals(group) && gvk.path("version").asText().equals(version)
                && gvk.path("kind").asText().equals(kind)) {
              return Optional.of(Map.entry(schema.getKey(), document));
            }
          }
        }
      }
      return Optional.empty();
    }

    /** JSON Schema validation messages; one message when no shipped document defines the kind. */
    List<String> validate(JsonNode manifest) {
      String apiVersion = manifest.path("apiVersion").asText();
      String kind = manifest.path("kind").asText();
      Optional<Map.Entry<String, JsonNode>> found = find(apiVersion, kind);
      if (found.isEmpty()) {
        return List.of("no shipped OpenAPI schema defines " + apiVersion + " " + kind);
      }
      ObjectNode root = found.get().getValue().deepCopy();
      root.put("$ref", "#/components/schemas/" + found.get().getKey());
      JsonSchema schema = FACTORY.getSchema(root);
      return schema.validate(manifest).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** The path of every field the kind's schema does not define; empty when the kind is unknown (see validate). */
    List<String> unknownFields(JsonNode manifest) {
      Optional<Map.Entry<String, JsonNode>> found = find(manifest.path("apiVersion").asText(),
          manifest.path("kind").asText());
      List<String> unknown = new ArrayList<>();
      found.ifPresent(f -> walk(f.getValue(), manifest, f.getValue().at("/components/schemas/" + f.getKey()), "",
          unknown));
      return unknown;
    }

    private static void walk(JsonNode document, JsonNode value, JsonNode schema, String path, List<String> unknown) {
      Properties declared = properties(document, schema, new LinkedHashSet<>());
      if (value.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
          JsonNode property = declared.properties().get(field.getKey());
          if (property != null) {
            walk(document, field.getValue(), property, at, unknown);
          } else if (declared.additional() != null) {
            walk(document, field.getValue(), declared.additional(), at, unknown);
          } else if (!declared.free()) {
            unknown.add(at);
          }
        }
      } else if (value.isArray() && declared.items() != null) {
        for (int i = 0; i < value.size(); i++) {
          walk(document, value.get(i), declared.items(), path + "[" + i + "]", unknown);
        }
      }
    }

    /**
     * What a schema lets an object hold, through {@code $ref} and {@code allOf}. An object schema that names no
     * properties and no additionalProperties (RawExtension, x-kubernetes-preserve-unknown-fields) is free-form.
     */
    record Properties(Map<String, JsonNode> properties, JsonNode additional, JsonNode items, boolean free) {}

    private static Properties properties(JsonNode document, JsonNode schema, Set<String> seen) {
      Map<String, JsonNode> properties = new java.util.LinkedHashMap<>();
      JsonNode[] additional = {null};
      JsonNode[] items = {null};
      boolean[] preserve = {false};
      collect(document, schema, seen, properties, additional, items, preserve);
      boolean free = preserve[0] || properties.isEmpty() && additional[0] == null;
      return new Properties(properties, additional[0] != null && additional[0].isObject() ? additional[0] : null,
          items[0], free || additional[0] != null && additional[0].isBoolean() && additional[0].asBoolean());
    }

    private static void collect(JsonNode document, JsonNode schema, Set<String> seen, Map<String, JsonNode> properties,
        JsonNode[] additional, JsonNode[] items, boolean[] preserve) {
      if (schema.has("$ref")) {
        String ref = schema.path("$ref").asText();
        if (seen.add(ref)) {
          collect(document, document.at(ref.substring(1)), seen, properties, additional, items, preserve);
        }
      }
      for (JsonNode part : schema.path("allOf")) {
        collect(document, part, seen, properties, additional, items, preserve);
      }
      schema.path("properties").fields().forEachRemaining(p -> properties.putIfAbsent(p.getKey(), p.getValue()));
      if (schema.has("additionalProperties")) {
        additional[0] = schema.get("additionalProperties");
      }
      if (schema.has("items")) {
        items[0] = schema.get("items");
      }
      preserve[0] |= schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    }
  }
}

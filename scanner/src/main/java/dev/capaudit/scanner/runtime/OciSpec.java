package dev.capaudit.scanner.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The parts of an OCI runtime spec ({@code config.json}) capaudit reads. The runtime applied exactly this to the
 * container's init, and Docker, containerd's CRI and CRI-O build every exec process from {@code process} with only
 * the user (or, for {@code exec --privileged}, the capabilities) changed. Fields capaudit does not read are ignored
 * here and kept in {@link OciBundle#raw()}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OciSpec(String ociVersion, Process process, Map<String, String> annotations, Linux linux,
    List<Mount> mounts) {

  public OciSpec {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /** The container's process: user, capabilities, no_new_privs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Process(User user, Capabilities capabilities, Boolean noNewPrivileges, List<String> args,
      String cwd) {
    public boolean noNewPrivs() {
      return Boolean.TRUE.equals(noNewPrivileges);
    }
  }

  /** The numeric user the process runs as (the runtime resolved any name). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record User(Long uid, Long gid, String username) {}

  /** The five capability sets as names ({@code CAP_CHOWN}); an absent set is empty. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
      List<String> permitted, List<String> ambient) {}

  /** Namespaces, cgroup and the marks of a privileged container. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Linux(List<Namespace> namespaces, String cgroupsPath, List<String> maskedPaths,
      List<String> readonlyPaths, List<Device> devices) {}

  /** A namespace the container gets; a {@code path} means it joins an existing one. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Namespace(String type, String path) {}

  /** A device node created in the container. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Device(String path, String type) {}

  /** A mount, for the signs of a privileged container (sysfs and cgroup read-write). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Mount(String destination, String type, String source, List<String> options) {}
}

package dev.capaudit.rules.model;

/** How capability data was obtained; reports show it because the sources differ in how far they can be trusted. */
public enum ObservationSource {
  /** Read from the Docker host's /proc: nothing inside the container can forge it. */
  HOST_PROC("host-proc"),
  /** Read by running a command through the container's own binaries: the container could lie. */
  CONTAINER_EXEC("container-exec"),
  /** What a process started by docker exec actually received (a probe). */
  EXEC_PROBE("exec-probe"),
  /** Computed from the runtime's own OCI spec, as the kernel applies it to an exec'd process. */
  OCI_SPEC("oci-spec"),
  /** Computed from the configured bounding set because neither the spec nor a probe was available. */
  DERIVED("derived"),
  /** Taken from a captured snapshot file. */
  SNAPSHOT("snapshot");

  private final String id;

  ObservationSource(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}

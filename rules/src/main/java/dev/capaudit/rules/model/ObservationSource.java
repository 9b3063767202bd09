package dev.capaudit.rules.model;

/** How capability data was obtained; reports show it because the sources differ in how far they can be trusted. */
public enum ObservationSource {
  /** Read from the Docker host's /proc: nothing inside the container can forge it. */
  HOST_PROC("host-proc"),
  /** Read by running a command through the container's own binaries: the container could lie. */
  CONTAINER_EXEC("container-exec"),
  /** What a process started by docker exec actually received (a probe). */
  EXEC_PROBE("exec-probe"),
  /** Computed from the configured bounding set because no probe could run. */
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

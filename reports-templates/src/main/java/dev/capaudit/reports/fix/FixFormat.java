package dev.capaudit.reports.fix;

import java.util.Locale;

/** Where a fix is emitted for: the runtimes capaudit does not drive itself. */
public enum FixFormat {
  /** A Compose override file for the service. */
  COMPOSE,
  /** A Kubernetes container securityContext patch. */
  K8S,
  /** The docker run flags. */
  RUN,
  /** An entrypoint shim and the Dockerfile lines to install it, for runtimes that take no capability flags. */
  ENTRYPOINT;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}

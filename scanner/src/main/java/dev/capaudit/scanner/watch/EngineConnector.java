package dev.capaudit.scanner.watch;

import dev.capaudit.scanner.docker.DockerEngine;
import java.io.IOException;

/** Opens a connection to the engine and pings it once; the watch calls it again after the engine went away. */
@FunctionalInterface
public interface EngineConnector {
  DockerEngine connect() throws IOException;
}

package dev.capaudit.rules.model;

import dev.capaudit.rules.capability.CapabilitySets;
import java.util.Optional;

/**
 * What a process started with {@code docker exec} gets: probed, or derived from the configured bounding set.
 *
 * @param user the user the exec runs as, as given ({@code 0}, {@code 1000}, {@code sandbox})
 * @param root whether that user is root (decides the context it is judged in)
 */
public record ExecView(
    String user, boolean root, CapabilitySets capabilities, Optional<Boolean> noNewPrivs, ObservationSource source) {}

package dev.capaudit.scanner.enforce;

import java.time.Duration;
import java.util.Optional;

/**
 * How {@code enforce --apply} runs.
 *
 * @param grace how long a replacement has to settle before it is re-audited
 * @param stopTimeout overrides each container's own {@code StopTimeout} (the engine's 10 s when it has none)
 * @param allowAutoRemove enforce a container that removes itself when stopped, accepting that it cannot be kept as a
 *     backup (its configuration and volumes are)
 * @param breakLock take over a lock whose holder cannot be checked from here (another machine)
 */
public record EnforceSettings(Duration grace, Optional<Duration> stopTimeout, boolean removeBackup,
    boolean allowAutoRemove, boolean breakLock) {}

package dev.capaudit.scanner.minimize;

import java.time.Duration;
import java.util.Optional;

/**
 * How one trial runs.
 *
 * @param hold how long the workload must keep running once it is ready
 * @param timeout the longest the workload may take to settle and become ready
 * @param settle a fixed wait instead of waiting until the process tree stops changing
 * @param execTimeout the longest one --ready-cmd may take
 */
public record TrialSettings(Duration hold, Duration timeout, Optional<Duration> settle, ReadyChecks ready,
    Duration execTimeout) {}

package dev.capaudit.scanner.enforce;

import java.time.Duration;

/**
 * How --apply stops a container, for the plan to show.
 *
 * @param autoRemove it removes itself when stopped: --apply refuses it without --allow-autoremove
 * @param stopTimeout what it gets between SIGTERM and SIGKILL
 * @param ownTimeout the timeout is the container's own StopTimeout, not --stop-timeout or the engine's default
 */
public record StopHandling(boolean autoRemove, Duration stopTimeout, boolean ownTimeout) {}

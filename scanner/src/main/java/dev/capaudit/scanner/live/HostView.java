package dev.capaudit.scanner.live;

import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.ProcessTable;
import dev.capaudit.scanner.runtime.BundleLocator;
import java.util.Optional;
import java.util.Set;

/**
 * The host's /proc, read once, and the runtimes' state, when the scanner runs where it can read them.
 *
 * @param containerIds every container the engine knows, to tell another container's process from an unknown one
 */
record HostView(HostProc proc, ProcessTable table, BundleLocator bundles, Optional<Set<String>> containerIds) {}

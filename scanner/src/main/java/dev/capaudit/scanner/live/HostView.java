package dev.capaudit.scanner.live;

import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.PidNamespaceIndex;

/** The host's /proc with its pid-namespace index, when the scanner runs where it can read them. */
record HostView(HostProc proc, PidNamespaceIndex index) {}

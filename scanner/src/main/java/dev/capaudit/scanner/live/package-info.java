/** Live audits: containers through the engine and the host's /proc, and every process of this host. */
package dev.capaudit.scanner.live;

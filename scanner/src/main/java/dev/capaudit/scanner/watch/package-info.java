/** {@code capaudit watch}: the event loop, what it remembers of each container, and what changed between audits. */
package dev.capaudit.scanner.watch;

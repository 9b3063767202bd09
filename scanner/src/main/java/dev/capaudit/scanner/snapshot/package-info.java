/** Reading captured snapshots (status texts, inspect JSON, exec views) so audits can run without Docker. */
package dev.capaudit.scanner.snapshot;

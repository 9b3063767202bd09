/** Neutral snapshots of audit targets: configuration, processes and exec views, with where each was read. */
package dev.capaudit.rules.model;

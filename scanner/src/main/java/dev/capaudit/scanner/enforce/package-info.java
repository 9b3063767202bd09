/** Enforcement: recreating a container with the policy's capability settings, verified, with rollback. */
package dev.capaudit.scanner.enforce;

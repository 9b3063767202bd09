/** The container runtimes' own state on the host: OCI bundles and what they say a container and its execs get. */
package dev.capaudit.scanner.runtime;

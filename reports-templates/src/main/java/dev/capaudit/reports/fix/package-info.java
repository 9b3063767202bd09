/** The fix for runtimes capaudit does not drive: docker run flags, Compose, Kubernetes, an entrypoint shim. */
package dev.capaudit.reports.fix;

/** Reading the Docker host's /proc: process status, pid namespaces and cgroups, the unforgeable view. */
package dev.capaudit.scanner.proc;

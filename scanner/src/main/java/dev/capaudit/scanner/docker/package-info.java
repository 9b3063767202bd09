/** The Docker engine seam: one client factory and the few calls an audit makes, over docker-java. */
package dev.capaudit.scanner.docker;

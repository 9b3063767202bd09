/** Everything that reads the outside world: Docker, the host's /proc, snapshot files and policy files. */
package dev.capaudit.scanner;

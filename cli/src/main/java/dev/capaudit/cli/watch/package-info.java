/** What {@code capaudit watch} prints and serves: one line per change (readable or JSON), the violation hook, metrics. */
package dev.capaudit.cli.watch;

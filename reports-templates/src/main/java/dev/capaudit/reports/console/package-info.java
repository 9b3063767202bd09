/** The console summary, with attacker-controlled text made safe for a terminal. */
package dev.capaudit.reports.console;

/** The capaudit command line: picocli commands that wire the scanner, the rule engine and the reports together. */
package dev.capaudit.cli;

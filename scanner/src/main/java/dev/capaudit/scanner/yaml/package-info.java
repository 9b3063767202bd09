/** Helpers shared by the YAML file readers: finding where a reported key stands in the text. */
package dev.capaudit.scanner.yaml;

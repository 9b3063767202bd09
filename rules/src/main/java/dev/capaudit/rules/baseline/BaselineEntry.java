package dev.capaudit.rules.baseline;

/** One finding of an earlier run, as far as a comparison needs it. */
public record BaselineEntry(FindingKey key, String severity, String message) {}

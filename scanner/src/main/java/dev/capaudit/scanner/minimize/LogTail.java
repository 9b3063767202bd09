package dev.capaudit.scanner.minimize;

import java.util.List;

/** The last lines of a log, each cut to a length a report line can carry: evidence, not the whole log. */
final class LogTail {
  static final int LINES = 5;
  static final int LINE_LENGTH = 240;

  private LogTail() {}

  static List<String> of(String log) {
    List<String> lines = log.lines().map(String::stripTrailing).filter(l -> !l.isBlank()).toList();
    return lines.subList(Math.max(0, lines.size() - LINES), lines.size()).stream()
        .map(l -> l.length() > LINE_LENGTH ? l.substring(0, LINE_LENGTH) + "..." : l).toList();
  }
}

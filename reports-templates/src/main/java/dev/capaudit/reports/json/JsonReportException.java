package dev.capaudit.reports.json;

/** Text that is not a capaudit JSON report capaudit can read; the message says what is wrong, in one line. */
public class JsonReportException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonReportException(String message) {
    super(message);
  }
}

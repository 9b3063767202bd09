package dev.capaudit.scanner.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/** A problem found at a token, carrying the hint that follows the location in the message. */
final class PolicyProblem extends JsonMappingException {
  private static final long serialVersionUID = 1L;
  private final String hint;

  private PolicyProblem(JsonParser parser, String problem, String hint) {
    super(parser, problem, parser.currentTokenLocation());
    this.hint = hint;
  }

  static PolicyProblem at(JsonParser parser, String problem, String hint) {
    return new PolicyProblem(parser, problem, hint);
  }

  String hint() {
    return hint;
  }
}

package dev.capaudit.scanner.policy;

import dev.capaudit.rules.text.AsciiCase;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityNames;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.UnlistedAction;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the policy's own vocabulary (capability names, contexts, sets, unlisted actions) and fails at the exact
 * token with a message a person can act on; the domain types stay free of Jackson.
 */
final class PolicyValueDeserializers {
  private PolicyValueDeserializers() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("capaudit-policy");
    module.addDeserializer(Capability.class, new Named<>("capability", PolicyValueDeserializers::capability));
    module.addDeserializer(PolicySpec.MustDropEntry.class, new Named<>("capability", text ->
        CapabilityNames.isAll(text) ? PolicySpec.MustDropEntry.ALL : new PolicySpec.MustDropEntry(capability(text))));
    module.addDeserializer(AuditContext.class, new Named<>("context", text -> AuditContext.fromId(text)
        .orElseThrow(() -> new IllegalArgumentException("expected one of " + ids(AuditContext.values(),
            AuditContext::id)))));
    module.addDeserializer(CapabilitySetKind.class, new Named<>("capability set", text -> CapabilitySetKind
        .fromId(text).orElseThrow(() -> new IllegalArgumentException("expected one of " + ids(
            CapabilitySetKind.values(), CapabilitySetKind::id)))));
    module.addDeserializer(UnlistedAction.class, new Named<>("unlisted action", text -> Arrays.stream(
        UnlistedAction.values()).filter(a -> a.id().equals(AsciiCase.lower(text.trim()))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("expected one of " + ids(UnlistedAction.values(),
            UnlistedAction::id)))));
    return module;
  }

  private static Capability capability(String text) {
    Optional<Capability> capability = Capability.parse(text);
    if (capability.isPresent()) {
      return capability.get();
    }
    String hint = Capability.closestTo(text).map(c -> "did you mean " + c.canonicalName() + "?")
        .orElse("see 'capaudit decode 0x1ffffffffff' for the names");
    throw new IllegalArgumentException(hint);
  }

  private static <T> String ids(T[] values, Function<T, String> id) {
    return Arrays.stream(values).map(id).collect(Collectors.joining(", "));
  }

  private static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  /** A deserializer for one string-valued vocabulary; the function's exception message becomes the hint. */
  private static final class Named<T> extends JsonDeserializer<T> {
    private final String what;
    private final Function<String, T> parse;

    Named(String what, Function<String, T> parse) {
      this.what = what;
      this.parse = parse;
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        throw PolicyProblem.at(parser, "expected " + article(what) + " " + what + " name but found "
            + parser.currentToken(), null);
      }
      String text = parser.getText();
      try {
        return parse.apply(text);
      } catch (IllegalArgumentException e) {
        throw PolicyProblem.at(parser, "unknown " + what + " '" + text + "'", e.getMessage());
      }
    }
  }
}

package dev.capaudit.reports.sarif;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes the SARIF 2.1.0 report, for code-scanning dashboards (GitHub code scanning, Azure DevOps). The log is built
 * as records ({@link SarifMapper}) and serialized by Jackson; nothing is concatenated by hand. Output is
 * deterministic: two-space indentation of objects, array elements on one line, {@code \n} line ends and a final
 * newline on every platform.
 */
public final class SarifReportWriter implements ReportWriter {
  private static final ObjectWriter JSON = JsonMapper.builder()
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
          JsonInclude.Include.NON_NULL))
      .addModule(new SimpleModule("capaudit-sarif-text").addSerializer(String.class, new CleanText(false))
          .addKeySerializer(String.class, new CleanText(true)))
      .build()
      .writer(prettyPrinter())
      .with(new ControlEscapes());

  private final boolean absentResults;

  /** Writes {@code absent} results for fixed baseline findings. */
  public SarifReportWriter() {
    this(true);
  }

  /**
   * @param absentResults false to leave fixed baseline findings out: GitHub code scanning ignores
   *     {@code baselineState} and would open an alert for each {@code absent} result
   */
  public SarifReportWriter(boolean absentResults) {
    this.absentResults = absentResults;
  }

  @Override
  public void write(AuditReport report, Writer out) throws IOException {
    JSON.writeValue(out, SarifMapper.toLog(report, absentResults));
    out.write('\n');
    out.flush();
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator("");
    // Array elements follow each other on one line ([ "root-process", "config" ], [ {): a fleet's log holds some
    // 100,000 of them, and a line each made a quarter of the file whitespace.
    return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter)
        .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
  }

  /**
   * Every string value (and map key) is cleaned as it is written: the mapper already cleans what it takes from the
   * audited targets, and this guarantees that no lone surrogate or noncharacter reaches the output even from a field
   * added later without it, in the one pass that writes the document.
   */
  private static final class CleanText extends StdSerializer<String> {
    private static final long serialVersionUID = 1L;
    private final boolean key;

    CleanText(boolean key) {
      super(String.class);
      this.key = key;
    }

    @Override
    public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (key) {
        gen.writeFieldName(SarifText.clean(value));
      } else {
        gen.writeString(SarifText.clean(value));
      }
    }
  }

  /**
   * Jackson escapes U+0000..U+001F, quotes and backslashes. This also escapes DEL, the C1 controls and the line and
   * paragraph separators and the format characters (bidi overrides, zero-width), so no control character appears raw in the file (they are legal JSON, but terminals and
   * some JavaScript consumers act on them).
   */
  private static final class ControlEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    ControlEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7F] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if ((ch >= 0x80 && ch <= 0x9F) || ch == 0x2028 || ch == 0x2029 || Character.getType(ch) == Character.FORMAT) {
        return new SerializedString(String.format("\\u%04X", ch));
      }
      return null;
    }
  }
}

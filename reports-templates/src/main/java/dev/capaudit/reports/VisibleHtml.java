package dev.capaudit.reports;

import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;
import freemarker.template.utility.StringUtil;
import java.io.IOException;
import java.io.Writer;

/**
 * FreeMarker's HTML escaping plus what it leaves alone: control characters (ESC, BEL, C1), line separators, format
 * characters (bidi overrides, zero-width) and lone surrogates become visible escapes ({@code \\x1b}, {@code \\u202e}),
 * so a container name can neither hide itself nor reach a terminal that a report is piped to. Every {@code .ftlh}
 * template uses it ({@link Templates}).
 */
public final class VisibleHtml extends CommonMarkupOutputFormat<VisibleHtml.Model> {
  public static final VisibleHtml INSTANCE = new VisibleHtml();

  private VisibleHtml() {}

  /** Markup built by the template, or escaped text. */
  public static final class Model extends CommonTemplateMarkupOutputModel<Model> {
    Model(String plainText, String markup) {
      super(plainText, markup);
    }

    @Override
    public VisibleHtml getOutputFormat() {
      return INSTANCE;
    }
  }

  @Override
  public String getName() {
    return "capauditHTML";
  }

  @Override
  public String getMimeType() {
    return "text/html";
  }

  @Override
  public void output(String textToEsc, Writer out) throws IOException {
    // Straight to the writer: a fleet report interpolates some 100,000 values, no copy of each is needed.
    StringUtil.XHTMLEnc(visible(textToEsc), out);
  }

  @Override
  public String escapePlainText(String plainTextContent) {
    return StringUtil.XHTMLEnc(visible(plainTextContent));
  }

  @Override
  public boolean isLegacyBuiltInBypassed(String builtInName) {
    return builtInName.equals("html") || builtInName.equals("xml") || builtInName.equals("xhtml");
  }

  @Override
  protected Model newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
    return new Model(plainTextContent, markupContent);
  }

  /** The text with every invisible or terminal-active character shown as an escape; newlines and tabs stay. */
  public static String visible(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) { // printable ASCII, most of any text: shown as it is
        if (out != null) {
          out.append(c);
        }
        i++;
        continue;
      }
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      boolean hide = (Character.isISOControl(cp) && cp != '\n' && cp != '\t') || cp == 0x2028 || cp == 0x2029
          || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE
          || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
      if (hide && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (hide) {
          out.append(cp <= 0xff ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp));
        } else {
          out.appendCodePoint(cp);
        }
      }
      i += width;
    }
    return out == null ? text : out.toString();
  }
}

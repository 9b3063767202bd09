package dev.capaudit.reports.junit;

import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A StAX writer that indents element-only content and passes every attribute value and text through
 * {@link XmlText#xmlSafe}, so no character XML 1.0 forbids can reach the document whatever a caller hands it. Text
 * content is written exactly as given: only whitespace between elements is added.
 */
final class XmlOut {
  private static final String INDENT = "  ";

  private final XMLStreamWriter xml;
  /** For each open element, whether a child element has been written into it yet. */
  private final Deque<Boolean> hasChildren = new ArrayDeque<>();

  private XmlOut(XMLStreamWriter xml) {
    this.xml = xml;
  }

  /** Pins the JDK's own StAX implementation, so output does not change with what else is on the classpath. */
  static XmlOut to(Writer out) throws XMLStreamException {
    return new XmlOut(XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out));
  }

  void startDocument() throws XMLStreamException {
    xml.writeStartDocument("UTF-8", "1.0");
  }

  /** Opens an element; {@code attributes} are name, value pairs, written in the order given. */
  void start(String name, String... attributes) throws XMLStreamException {
    newLine();
    xml.writeStartElement(name);
    attributes(attributes);
    hasChildren.push(false);
  }

  void empty(String name, String... attributes) throws XMLStreamException {
    newLine();
    xml.writeEmptyElement(name);
    attributes(attributes);
  }

  /** An element holding only text, written verbatim apart from the XML 1.0 guard. */
  void textElement(String name, String text, String... attributes) throws XMLStreamException {
    newLine();
    xml.writeStartElement(name);
    attributes(attributes);
    xml.writeCharacters(XmlText.xmlSafe(text));
    xml.writeEndElement();
  }

  void end() throws XMLStreamException {
    boolean children = hasChildren.pop();
    if (children) {
      indent(hasChildren.size());
    }
    xml.writeEndElement();
  }

  void endDocument() throws XMLStreamException {
    while (!hasChildren.isEmpty()) {
      end();
    }
    xml.writeEndDocument();
    xml.writeCharacters("\n");
    xml.flush();
    xml.close();
  }

  private void attributes(String... attributes) throws XMLStreamException {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      xml.writeAttribute(attributes[i], XmlText.xmlSafe(attributes[i + 1]));
    }
  }

  private void newLine() throws XMLStreamException {
    if (!hasChildren.isEmpty()) {
      hasChildren.pop();
      hasChildren.push(true);
    }
    indent(hasChildren.size());
  }

  private void indent(int depth) throws XMLStreamException {
    xml.writeCharacters("\n" + INDENT.repeat(depth));
  }
}

package dev.capaudit.reports.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingKey;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.policy.PolicyFiles;
import dev.capaudit.scanner.snapshot.SnapshotFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

class JunitReportWriterTest {
  private static final String POLICY = "nemoclaw-sandbox";
  private static final String GOLDEN = "reports-templates/src/test/resources/junit/golden-regression.xml";
  /** The target-readable case plus one case per registered rule. */
  private static final int CASES_PER_TARGET = 1 + Rules.all().size();

  /** What SampleReports.hostile() puts in every piece of text. */
  private static final String EVIL =
      "<img src=x onerror=alert(1)>&\"'`|*_[x](y)#\u0000\u0001\u0007\u001b[31m\u0008\uFFFE\uD800";
  /** The same text as the report must show it: markup kept as text, invisible and forbidden characters escaped. */
  private static final String EVIL_SHOWN =
      "<img src=x onerror=alert(1)>&\"'`|*_[x](y)#\\x00\\x01\\x07\\x1b[31m\\x08\\ufffe\\ud800";

  private static Schema schema;

  @BeforeAll
  static void load_schema() throws Exception {
    URL xsd = JunitReportWriterTest.class.getResource("/junit/junit-10.xsd");
    assertThat(xsd).as("junit-10.xsd on the test classpath").isNotNull();
    schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
  }

  // ---- schema validity ----

  @ParameterizedTest
  @ValueSource(strings = {"connect-shell-0xa82c25fb", "setpriv-sysadmin-regression-0x200100", "agent-fixed-0x100",
      "unreadable-status", "privileged-config-only", "ambient-nonroot", "unknown-capability-bit"})
  void each_sample_case_is_schema_valid(String sampleCase) throws Exception {
    String xml = write(SampleReports.ofCases(POLICY, sampleCase));

    assertSchemaValid(xml);
    Document doc = parse(xml);
    assertThat(elements(doc.getDocumentElement(), "testsuite")).hasSize(1);
    assertThat(elements(doc.getDocumentElement(), "testcase")).hasSize(CASES_PER_TARGET);
  }

  @Test
  void several_cases_in_one_report_are_schema_valid_and_counted() throws Exception {
    String xml = write(SampleReports.ofCases(POLICY, "connect-shell-0xa82c25fb",
        "setpriv-sysadmin-regression-0x200100", "agent-fixed-0x100", "unreadable-status"));

    assertSchemaValid(xml);
    Element root = parse(xml).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    assertThat(root.getAttribute("name")).isEqualTo("capaudit");
    List<Element> suites = elements(root, "testsuite");
    assertThat(suites).extracting(s -> s.getAttribute("name"))
        .containsExactly("capaudit-capture-agent-fixed", "agent-sysadmin-regression", "agent-fixed", "garbled");
    assertThat(suites).extracting(s -> s.getAttribute("id")).containsExactly("0", "1", "2", "3");
    // connect-shell fails cap-add, must-drop, outside-allowed-context and regain-path; the regression two.
    assertThat(suites).extracting(s -> s.getAttribute("failures")).containsExactly("4", "2", "0", "0");
    assertThat(suites).extracting(s -> s.getAttribute("errors")).containsExactly("0", "0", "0", "1");
    assertThat(suites).extracting(s -> s.getAttribute("skipped"))
        .containsExactly("0", "0", "0", Integer.toString(Rules.all().size()));
    assertThat(root.getAttribute("tests")).isEqualTo(Integer.toString(4 * CASES_PER_TARGET));
    assertThat(root.getAttribute("failures")).isEqualTo("6");
    assertThat(root.getAttribute("errors")).isEqualTo("1");
    // Each suite's counts agree with the elements it holds.
    for (Element suite : suites) {
      assertThat(suite.getAttribute("tests")).isEqualTo(Integer.toString(elements(suite, "testcase").size()));
      assertThat(suite.getAttribute("failures")).isEqualTo(Integer.toString(elements(suite, "failure").size()));
      assertThat(suite.getAttribute("errors")).isEqualTo(Integer.toString(elements(suite, "error").size()));
      assertThat(suite.getAttribute("skipped")).isEqualTo(Integer.toString(elements(suite, "skipped").size()));
      assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-28T12:00:00");
    }
  }

  @Test
  void the_schema_rejects_what_it_should() throws Exception {
    // The validator is live: a suite without its required counts, or an unknown element, is refused.
    assertThatThrownBy(() -> assertSchemaValid("<testsuites><testsuite name=\"x\"/></testsuites>"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("tests");
    assertThatThrownBy(() -> assertSchemaValid(
        "<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\"><img/></testsuite></testsuites>"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("img");
  }

  // ---- what the cases say ----

  @Test
  void must_drop_present_fails_on_the_regression_naming_capability_set_pid_and_mask() throws Exception {
    Element suite = onlySuite(write(SampleReports.ofCases(POLICY, "setpriv-sysadmin-regression-0x200100")));

    Element failure = onlyChild(testcase(suite, "must-drop-present"), "failure");
    assertThat(failure.getAttribute("type")).isEqualTo("must-drop-present");
    assertThat(failure.getAttribute("message"))
        .contains("CAP_SYS_ADMIN", "bounding", "pid 1", "0x200100")
        .isEqualTo("CAP_SYS_ADMIN in bounding (CapBnd=0x200100) of pid 1 (sleep, uid 1000), process context");
    assertThat(failure.getTextContent())
        .startsWith("CAP_SYS_ADMIN in bounding (CapBnd=0x200100) of pid 1 (sleep, uid 1000), process context\n")
        .contains("policy 'nemoclaw-sandbox' says it must be dropped everywhere")
        .contains("Rule must-drop-present (high): " + Rules.MUST_DROP_PRESENT.title())
        .contains("Fix: " + Rules.MUST_DROP_PRESENT.remediation());
    assertThat(onlyChild(testcase(suite, "regain-path"), "failure").getAttribute("message"))
        .isEqualTo("CAP_SYS_ADMIN in bounding (CapBnd=0x200100) of pid 1 (sleep, uid 1000), process context");
    // Every other rule, and readability, pass: no child at all.
    for (Rule rule : Rules.all()) {
      if (!rule.id().equals("must-drop-present") && !rule.id().equals("regain-path")) {
        assertThat(testcase(suite, rule.id()).getChildNodes().getLength()).as(rule.id()).isZero();
      }
    }
    assertThat(testcase(suite, "target-readable").getChildNodes().getLength()).isZero();
    assertThat(testcase(suite, "must-drop-present").getAttribute("classname"))
        .isEqualTo("capaudit.agent-sysadmin-regression");
  }

  @Test
  void a_finding_on_several_holders_lists_one_line_each() throws Exception {
    Element suite = onlySuite(write(SampleReports.ofCases(POLICY, "connect-shell-0xa82c25fb")));

    Element failure = onlyChild(testcase(suite, "regain-path"), "failure");
    String[] lines = failure.getTextContent().split("\n\nDetails:", 2)[0].split("\n");
    // Ten must-drop capabilities in the bounding set of the non-root exec shell.
    assertThat(lines).hasSize(10).allSatisfy(line -> assertThat(line)
        .endsWith(" in bounding (CapBnd=0xa82c25fb) of an exec shell as 1000 (non-root), exec context"));
    assertThat(lines[0]).startsWith("CAP_DAC_OVERRIDE ");
    assertThat(failure.getAttribute("message")).isEqualTo(lines[0] + " (+9 more)");
    Element capAdd = onlyChild(testcase(suite, "cap-add-not-allowed"), "failure");
    assertThat(capAdd.getAttribute("message"))
        .isEqualTo("CAP_SYS_ADMIN in the container configuration, config context (+1 more)");
  }

  @Test
  void a_passing_case_has_no_failure_error_or_skip() throws Exception {
    String xml = write(SampleReports.ofCases(POLICY, "agent-fixed-0x100"));
    Element suite = onlySuite(xml);

    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(suite.getAttribute("errors")).isEqualTo("0");
    assertThat(suite.getAttribute("skipped")).isEqualTo("0");
    assertThat(elements(suite, "failure")).isEmpty();
    assertThat(elements(suite, "error")).isEmpty();
    assertThat(elements(suite, "skipped")).isEmpty();
    List<String> expectedNames = new ArrayList<>(List.of("target-readable: The target could be read"));
    Rules.all().forEach(rule -> expectedNames.add(rule.id() + ": " + rule.title()));
    assertThat(elements(suite, "testcase")).extracting(c -> c.getAttribute("name"))
        .containsExactlyElementsOf(expectedNames);
    assertThat(property(suite, "capaudit.verdict")).isEqualTo("pass");
  }

  @Test
  void an_unreadable_target_is_an_error_and_no_rule_passes() throws Exception {
    Element suite = onlySuite(write(SampleReports.ofCases(POLICY, "unreadable-status")));
    TargetResult result = SampleReports.ofCases(POLICY, "unreadable-status").result().targets().get(0);
    String readError = result.target().errors().get(0);

    Element error = onlyChild(testcase(suite, "target-readable"), "error");
    assertThat(error.getAttribute("message")).isNotBlank().isEqualTo(readError);
    assertThat(error.getAttribute("type")).isEqualTo("target-readable");
    assertThat(error.getTextContent()).startsWith(readError + "\n").contains("never a pass");
    for (Rule rule : Rules.all()) {
      Element skipped = onlyChild(testcase(suite, rule.id()), "skipped");
      assertThat(skipped.getAttribute("message")).as(rule.id()).startsWith("not proven");
    }
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo(Integer.toString(Rules.all().size()));
    assertThat(property(suite, "capaudit.verdict")).isEqualTo("error");
  }

  @Test
  void a_config_only_target_fails_and_says_no_process_was_read() throws Exception {
    Element suite = onlySuite(write(SampleReports.ofCases(POLICY, "privileged-config-only")));

    assertThat(onlyChild(testcase(suite, "privileged-container"), "failure").getAttribute("message"))
        .isEqualTo("ALL in the container configuration, config context");
    assertThat(onlyChild(testcase(suite, "target-readable"), "error").getAttribute("message"))
        .isEqualTo("no process or exec view could be read; only the configuration was judged");
    assertThat(onlyChild(testcase(suite, "regain-path"), "skipped")).isNotNull();
  }

  @Test
  void warnings_go_to_system_out_and_do_not_fail() throws Exception {
    Path root = SampleReports.repoRoot();
    String yaml = Files.readString(root.resolve("samples/policies/nemoclaw-sandbox.yaml"));
    assertThat(yaml).contains("unlisted: fail");
    Policy warnPolicy = PolicyFiles.parse(yaml.replace("unlisted: fail", "unlisted: warn"), "warn-policy.yaml");
    List<TargetSnapshot> targets = SnapshotFiles.load(root.resolve("samples/cases/unknown-capability-bit/snapshot.yaml"));
    AuditReport report = SampleReports.report(new Auditor(warnPolicy).audit(targets), Optional.empty());
    assertThat(report.result().targets().get(0).findings()).extracting(f -> f.severity().id()).containsExactly("low");

    String xml = write(report);
    assertSchemaValid(xml);
    Element suite = onlySuite(xml);
    Element unlisted = testcase(suite, "unlisted-capability");
    assertThat(elements(unlisted, "failure")).isEmpty();
    assertThat(onlyChild(unlisted, "system-out").getTextContent())
        .startsWith("Warnings (they do not fail the target):\n"
            + "CAP_41 in bounding (CapBnd=0x20000000100) of pid 1 (agent, uid 1000), process context\n")
        .contains("- low: CAP_41 still present in CapBnd");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(suite.getAttribute("errors")).isEqualTo("0");
  }

  @Test
  void with_a_baseline_each_finding_line_is_marked_new_or_existing() throws Exception {
    AuditReport plain = SampleReports.ofCases(POLICY, "setpriv-sysadmin-regression-0x200100");
    TargetResult target = plain.result().targets().get(0);
    Finding mustDrop = target.findings().stream().filter(f -> f.rule() == Rules.MUST_DROP_PRESENT).findFirst()
        .orElseThrow();
    AuditReport report = SampleReports.withBaseline(plain,
        List.of(new BaselineEntry(FindingKey.of(target.target(), mustDrop), "high", mustDrop.message())));

    String xml = write(report);
    assertSchemaValid(xml);
    Element suite = onlySuite(xml);
    assertThat(onlyChild(testcase(suite, "must-drop-present"), "failure").getAttribute("message"))
        .isEqualTo("[existing] CAP_SYS_ADMIN in bounding (CapBnd=0x200100) of pid 1 (sleep, uid 1000), process context");
    assertThat(onlyChild(testcase(suite, "regain-path"), "failure").getTextContent())
        .startsWith("[new] CAP_SYS_ADMIN in bounding (CapBnd=0x200100) of pid 1 (sleep, uid 1000), process context\n");
    assertThat(property(suite, "capaudit.baseline")).isEqualTo("baseline.json");
    // Without a baseline there is no marker at all.
    assertThat(write(plain)).doesNotContain("[new]", "[existing]");
  }

  // ---- hostile text ----

  @Test
  void hostile_text_is_well_formed_schema_valid_and_shown_as_text() throws Exception {
    String xml = write(SampleReports.hostile());

    assertThat(xml.codePoints().filter(cp -> !(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000))).as("characters XML 1.0 forbids").isEmpty();
    assertThat(xml).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)");
    assertSchemaValid(xml);
    Document doc = parse(xml);
    assertThat(doc.getElementsByTagName("img").getLength()).isZero();

    List<Element> suites = elements(doc.getDocumentElement(), "testsuite");
    assertThat(suites).extracting(s -> s.getAttribute("name"))
        .containsExactly("sandbox-" + EVIL_SHOWN, "gone-" + EVIL_SHOWN);
    Element sandbox = suites.get(0);
    assertThat(property(sandbox, "capaudit.target.image")).isEqualTo("image:" + EVIL_SHOWN);
    // The process name is container text: it shows up escaped inside the finding lines.
    assertThat(onlyChild(testcase(sandbox, "regain-path"), "failure").getAttribute("message"))
        .isEqualTo("CAP_SYS_ADMIN in bounding (CapBnd=0x200100) of pid 1 (" + EVIL_SHOWN + ", uid 1000),"
            + " process context");
    // The CapAdd entry is container text too, and ends up as the finding's capability.
    assertThat(onlyChild(testcase(sandbox, "cap-add-not-allowed"), "failure").getTextContent())
        .contains(EVIL_SHOWN + " in the container configuration, config context\n");
    assertThat(onlyChild(testcase(sandbox, "target-readable"), "error").getAttribute("message"))
        .isEqualTo("error " + EVIL_SHOWN);
    assertThat(onlyChild(sandbox, "system-out").getTextContent()).isEqualTo("Notes:\n- note " + EVIL_SHOWN);
    Element gone = suites.get(1);
    assertThat(onlyChild(testcase(gone, "target-readable"), "error").getAttribute("message"))
        .isEqualTo("cannot read " + EVIL_SHOWN);
    // Classnames keep only what CI servers take literally.
    for (Element testcase : elements(doc.getDocumentElement(), "testcase")) {
      assertThat(testcase.getAttribute("classname")).matches("capaudit\\.[A-Za-z0-9_-]+");
    }
    assertThat(testcase(sandbox, "target-readable").getAttribute("classname"))
        .isNotEqualTo(testcase(gone, "target-readable").getAttribute("classname"));
  }

  @Test
  void printable_escapes_invisible_and_forbidden_characters_and_keeps_the_rest() {
    assertThat(XmlText.printable(EVIL)).isEqualTo(EVIL_SHOWN);
    assertThat(XmlText.printable("a\nb\tc\u202Ed\u200Be\uFDD0")).isEqualTo("a\\x0ab\\x09c\\u202ed\\u200be\\ufdd0");
    assertThat(XmlText.printable("caf\u00e9 \uD83D\uDE00 \u4e2d")).isEqualTo("caf\u00e9 \uD83D\uDE00 \u4e2d");
    assertThat(XmlText.printable(null)).isEmpty();
  }

  @Test
  void xml_safe_replaces_only_what_xml_forbids() {
    assertThat(XmlText.xmlSafe("a\u0000b\u0001c\uFFFEd\uFFFFe\uD800f\uDC00g"))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg");
    String allowed = "tab\tnl\ncr\r <&>\"' caf\u00e9 \uD83D\uDE00 \uFFFD";
    assertThat(XmlText.xmlSafe(allowed)).isSameAs(allowed);
  }

  // ---- determinism and the golden file ----

  @Test
  void output_is_deterministic() throws Exception {
    AuditReport report = SampleReports.ofCases(POLICY, "connect-shell-0xa82c25fb", "unreadable-status");
    assertThat(write(report)).isEqualTo(write(report))
        .isEqualTo(write(SampleReports.ofCases(POLICY, "connect-shell-0xa82c25fb", "unreadable-status")));
  }

  @Test
  void regression_report_matches_the_golden_file() throws Exception {
    String actual =
        write(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100", "unreadable-status"));
    assertSchemaValid(actual);
    String expected = "";
    try (InputStream in = JunitReportWriterTest.class.getResourceAsStream("/junit/golden-regression.xml")) {
      if (in != null) {
        expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    if (!actual.equals(expected)) {
      Path actualFile = Path.of("target", "golden-regression.actual.xml").toAbsolutePath();
      Files.createDirectories(actualFile.getParent());
      Files.writeString(actualFile, actual, StandardCharsets.UTF_8);
      fail(goldenMismatch(expected, actual, actualFile));
    }
  }

  private static String goldenMismatch(String expected, String actual, Path actualFile) {
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    int line = 0;
    while (line < e.length && line < a.length && e[line].equals(a[line])) {
      line++;
    }
    return "JUnit report differs from " + GOLDEN + " at line " + (line + 1) + ":\n"
        + "  expected: " + (line < e.length ? e[line] : "<end of file>") + "\n"
        + "  actual:   " + (line < a.length ? a[line] : "<end of file>") + "\n"
        + "The whole output is in " + actualFile + ". Compare with\n"
        + "  diff " + SampleReports.repoRoot().resolve(GOLDEN) + " " + actualFile + "\n"
        + "and, if the change is intended and reviewed, copy it over the golden file.";
  }

  // ---- helpers ----

  private static String write(AuditReport report) throws IOException {
    StringWriter out = new StringWriter();
    new JunitReportWriter().write(report, out);
    return out.toString();
  }

  private static void assertSchemaValid(String xml) throws Exception {
    List<String> problems = new ArrayList<>();
    Validator validator = schema.newValidator();
    validator.setErrorHandler(new ErrorHandler() {
      @Override
      public void warning(SAXParseException e) {}

      @Override
      public void error(SAXParseException e) {
        problems.add("line " + e.getLineNumber() + ": " + e.getMessage());
      }

      @Override
      public void fatalError(SAXParseException e) {
        problems.add("line " + e.getLineNumber() + " (fatal): " + e.getMessage());
      }
    });
    try {
      validator.validate(new StreamSource(new StringReader(xml)));
    } catch (SAXParseException e) {
      // fatal errors are also thrown after being reported
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("not valid against junit-10.xsd:\n" + String.join("\n", problems) + "\n--- document:\n"
          + xml);
    }
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  private static Element onlySuite(String xml) throws Exception {
    assertSchemaValid(xml);
    List<Element> suites = elements(parse(xml).getDocumentElement(), "testsuite");
    assertThat(suites).hasSize(1);
    return suites.get(0);
  }

  /** Descendant elements with this tag, in document order. */
  private static List<Element> elements(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    List<Element> result = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      result.add((Element) nodes.item(i));
    }
    return result;
  }

  private static Element onlyChild(Element parent, String tag) {
    List<Element> children = elements(parent, tag);
    assertThat(children).as("<%s> in <%s name=\"%s\">", tag, parent.getTagName(), parent.getAttribute("name"))
        .hasSize(1);
    return children.get(0);
  }

  /** The test case of a rule (or of target-readable) in a suite, by the id its name starts with. */
  private static Element testcase(Element suite, String id) {
    List<Element> matches = elements(suite, "testcase").stream()
        .filter(c -> c.getAttribute("name").startsWith(id + ": ")).toList();
    assertThat(matches).as("testcase %s in suite %s", id, suite.getAttribute("name")).hasSize(1);
    return matches.get(0);
  }

  private static String property(Element suite, String name) {
    return elements(suite, "property").stream().filter(p -> p.getAttribute("name").equals(name))
        .map(p -> p.getAttribute("value")).findFirst().orElseThrow(() -> new AssertionError("no property " + name));
  }
}

package dev.capaudit.reports.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.Golden;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.baseline.BaselineEntry;
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
import org.apache.tools.ant.BuildEvent;
import org.apache.tools.ant.DefaultLogger;
import org.apache.tools.ant.Project;
import org.apache.tools.ant.taskdefs.optional.junit.XMLResultAggregator;
import org.apache.tools.ant.types.FileSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /** What SampleReports.hostile() puts in every piece of text. */
  private static final String EVIL = SampleReports.HOSTILE;
  /** The same text as the report must show it: markup kept as text, invisible and forbidden characters escaped. */
  private static final String EVIL_SHOWN = "<img src=x onerror=alert(1)>&\"'`|*_[x](y)#\\x00\\x01\\x07\\x1b[31m"
      + "\\x1b]8;;http://evil\\x07\\x9b\\u202e\\u2028\\x08\\ufffe\\ud800";

  private static Schema schema;

  @BeforeAll
  static void load_schema() throws Exception {
    URL xsd = JunitReportWriterTest.class.getResource("/junit/junit-10.xsd");
    assertThat(xsd).as("junit-10.xsd on the test classpath").isNotNull();
    schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
  }

  // ---- schema validity and the tools that read it ----

  @ParameterizedTest
  @ValueSource(strings = {"connect-shell-0xa82c25fb", "setpriv-sysadmin-regression-0x200100", "agent-fixed-0x100",
      "unreadable-status", "privileged-config-only", "ambient-nonroot", "unknown-capability-bit"})
  void each_sample_case_is_one_schema_valid_suite_with_a_case_per_finding(String sampleCase) throws Exception {
    AuditReport report = SampleReports.ofCases(POLICY, sampleCase);
    String xml = write(report);

    assertSchemaValid(xml);
    Element root = parse(xml).getDocumentElement();
    assertThat(root.getTagName()).as("Ant's junitreport takes only a testsuite root").isEqualTo("testsuite");
    TargetResult target = report.result().targets().get(0);
    long quietRules = Rules.all().stream().filter(r -> target.findings().stream().noneMatch(f -> f.rule() == r))
        .count();
    assertThat(elements(root, "testcase")).hasSize((int) (1 + target.findings().size() + quietRules));
    assertThat(root.getAttribute("tests")).isEqualTo(Integer.toString(elements(root, "testcase").size()));
    assertThat(root.getAttribute("failures")).isEqualTo(Integer.toString(elements(root, "failure").size()));
    assertThat(root.getAttribute("errors")).isEqualTo(Integer.toString(elements(root, "error").size()));
    assertThat(root.getAttribute("skipped")).isEqualTo(Integer.toString(elements(root, "skipped").size()));
  }

  @Test
  void ant_junitreport_accepts_the_report_and_counts_every_test(@TempDir Path dir) throws Exception {
    AuditReport report = SampleReports.ofCases(POLICY, "connect-shell-0xa82c25fb", "unreadable-status",
        "agent-fixed-0x100");
    Files.writeString(dir.resolve("TEST-capaudit.xml"), write(report), StandardCharsets.UTF_8);
    Project project = new Project();
    project.init();
    XMLResultAggregator junitreport = new XMLResultAggregator();
    junitreport.setProject(project);
    FileSet files = new FileSet();
    files.setDir(dir.toFile());
    files.setIncludes("TEST-*.xml");
    junitreport.addFileSet(files);
    junitreport.setTodir(dir.toFile());
    List<String> warnings = new ArrayList<>();
    project.addBuildListener(new DefaultLogger() {
      @Override
      public void messageLogged(BuildEvent event) {
        if (event.getPriority() <= Project.MSG_WARN) {
          warnings.add(event.getMessage());
        }
      }
    });

    junitreport.execute();

    assertThat(warnings).as("junitreport warnings").isEmpty();
    Element aggregated = parse(Files.readString(dir.resolve("TESTS-TestSuites.xml"))).getDocumentElement();
    List<Element> suites = elements(aggregated, "testsuite");
    assertThat(suites).singleElement().satisfies(suite -> {
      assertThat(suite.getAttribute("tests")).isEqualTo(Integer.toString(JunitReportWriter.cases(report).size()));
      assertThat(Integer.parseInt(suite.getAttribute("failures"))).isPositive();
      assertThat(suite.getAttribute("errors")).isEqualTo("1");
    });
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
  void a_case_per_rule_and_capability_names_the_holder_sets_and_masks() throws Exception {
    Element root = onlySuite(write(SampleReports.ofCases(POLICY, "setpriv-sysadmin-regression-0x200100")));

    Element failure = onlyChild(testcase(root, "must-drop-present CAP_SYS_ADMIN"), "failure");
    assertThat(failure.getAttribute("type")).isEqualTo("must-drop-present");
    assertThat(failure.getAttribute("message")).isEqualTo("high: CAP_SYS_ADMIN in CapBnd of pid 1 (sleep, uid 1000)"
        + " (CapBnd=0x200100); policy 'nemoclaw-sandbox' says it must be dropped everywhere");
    assertThat(failure.getTextContent())
        .contains("Held by 1 holder:\n- nonroot-process: pid 1 (sleep, uid 1000) (CapBnd=0x200100)")
        .contains("Rule must-drop-present (high): " + Rules.MUST_DROP_PRESENT.title())
        .contains("Fix: " + Rules.MUST_DROP_PRESENT.remediation());
    assertThat(onlyChild(testcase(root, "regain-path CAP_SYS_ADMIN"), "failure").getAttribute("message"))
        .endsWith("a setuid or file-capability binary can raise it again (empty effective set, NoNewPrivs=0)");
    for (Rule rule : Rules.all()) {
      if (rule != Rules.MUST_DROP_PRESENT && rule != Rules.REGAIN_PATH) {
        assertThat(testcase(root, rule.id()).getChildNodes().getLength()).as(rule.id()).isZero();
      }
    }
    assertThat(onlyChild(testcase(root, "target-readable"), "system-out").getTextContent())
        .startsWith("Target: snapshot agent-sysadmin-regression").contains("Verdict: fail");
    assertThat(testcase(root, "must-drop-present CAP_SYS_ADMIN").getAttribute("classname"))
        .isEqualTo("capaudit.agent-sysadmin-regression");
  }

  @Test
  void a_finding_held_by_several_holders_is_one_case_listing_each() throws Exception {
    Element root = onlySuite(write(SampleReports.ofCases(POLICY, "connect-shell-0xa82c25fb")));

    Element failure = onlyChild(testcase(root, "must-drop-present CAP_SYS_ADMIN"), "failure");
    assertThat(failure.getTextContent()).contains("Held by 3 holders:\n"
        + "- root-exec: an exec shell as 0 (CapPrm=0xa82c25fb, CapEff=0xa82c25fb, CapBnd=0xa82c25fb)\n"
        + "- nonroot-exec: an exec shell as 1000 (CapBnd=0xa82c25fb)\n"
        + "- config: the container configuration (CapBnd=0xa82c25fb)");
    assertThat(failure.getAttribute("message")).contains("and 2 more holders");
    assertThat(elements(root, "testcase")).extracting(c -> c.getAttribute("name"))
        .doesNotHaveDuplicates().contains("cap-add-not-allowed CAP_SYS_ADMIN", "cap-add-not-allowed CAP_SYS_PTRACE");
  }

  @Test
  void failure_bodies_stay_within_16_kib_for_thousands_of_holders() throws Exception {
    AuditReport report = SampleReports.report(new Auditor(SampleReports.policy(POLICY))
        .audit(List.of(SampleReports.manyProcesses("busy", 5000))), Optional.empty());

    Element root = onlySuite(write(report));

    assertThat(elements(root, "failure")).isNotEmpty().allSatisfy(f -> {
      assertThat(f.getTextContent().length()).isLessThanOrEqualTo(JunitCases.MAX_BODY_CHARS);
      assertThat(f.getTextContent()).contains("the JSON report has every holder");
    });
  }

  @Test
  void an_unreadable_target_is_an_error_and_no_rule_passes() throws Exception {
    Element root = onlySuite(write(SampleReports.ofCases(POLICY, "unreadable-status")));
    TargetResult result = SampleReports.ofCases(POLICY, "unreadable-status").result().targets().get(0);
    String readError = result.target().errors().get(0);

    Element error = onlyChild(testcase(root, "target-readable"), "error");
    assertThat(error.getAttribute("message")).isEqualTo(readError);
    assertThat(error.getAttribute("type")).isEqualTo("target-readable");
    assertThat(error.getTextContent()).startsWith(readError + "\n").contains("never a pass");
    for (Rule rule : Rules.all()) {
      assertThat(onlyChild(testcase(root, rule.id()), "skipped").getAttribute("message")).as(rule.id())
          .startsWith("not proven");
    }
    assertThat(root.getAttribute("errors")).isEqualTo("1");
    assertThat(root.getAttribute("skipped")).isEqualTo(Integer.toString(Rules.all().size()));
  }

  @Test
  void a_config_only_target_fails_and_says_no_process_was_read() throws Exception {
    Element root = onlySuite(write(SampleReports.ofCases(POLICY, "privileged-config-only")));

    assertThat(onlyChild(testcase(root, "privileged-container ALL"), "failure").getAttribute("message"))
        .startsWith("high: ALL in the container configuration; the container runs privileged");
    assertThat(onlyChild(testcase(root, "target-readable"), "error").getAttribute("message"))
        .isEqualTo("no process or exec view could be read; only the configuration was judged");
    assertThat(onlyChild(testcase(root, "regain-path"), "skipped")).isNotNull();
  }

  @Test
  void warnings_go_to_system_out_and_do_not_fail() throws Exception {
    Path root = SampleReports.repoRoot();
    String yaml = Files.readString(root.resolve("samples/policies/nemoclaw-sandbox.yaml"));
    assertThat(yaml).contains("unlisted: fail");
    Policy warnPolicy = PolicyFiles.parse(yaml.replace("unlisted: fail", "unlisted: warn"), "warn-policy.yaml");
    List<TargetSnapshot> targets = SnapshotFiles.load(root.resolve("samples/cases/unknown-capability-bit/snapshot.yaml"));
    AuditReport report = SampleReports.report(new Auditor(warnPolicy).audit(targets), Optional.empty());

    String xml = write(report);
    Element suite = onlySuite(xml);
    Element unlisted = testcase(suite, "unlisted-capability CAP_41");
    assertThat(elements(unlisted, "failure")).isEmpty();
    assertThat(onlyChild(unlisted, "system-out").getTextContent())
        .startsWith("Warning (it does not fail the target): low: CAP_41 in CapBnd of pid 1 (agent, uid 1000)");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
  }

  @Test
  void with_a_baseline_each_finding_and_holder_is_marked_new_or_existing() throws Exception {
    AuditReport plain = SampleReports.ofCases(POLICY, "setpriv-sysadmin-regression-0x200100");
    TargetResult target = plain.result().targets().get(0);
    Finding mustDrop = target.findings().stream().filter(f -> f.rule() == Rules.MUST_DROP_PRESENT).findFirst()
        .orElseThrow();
    AuditReport report = SampleReports.withBaseline(plain, List.of(BaselineEntry.of(target.target(), mustDrop)));

    Element suite = onlySuite(write(report));
    Element existing = onlyChild(testcase(suite, "must-drop-present CAP_SYS_ADMIN"), "failure");
    assertThat(existing.getAttribute("message")).startsWith("[existing] high: CAP_SYS_ADMIN in CapBnd of pid 1");
    assertThat(existing.getTextContent()).contains("- [existing] nonroot-process: pid 1 (sleep, uid 1000)");
    assertThat(onlyChild(testcase(suite, "regain-path CAP_SYS_ADMIN"), "failure").getAttribute("message"))
        .startsWith("[new] high: ");
    assertThat(property(suite, "capaudit.baseline")).isEqualTo("baseline.json");
    assertThat(write(plain)).doesNotContain("[new]", "[existing]");
  }

  // ---- hostile text ----

  @Test
  void hostile_text_is_well_formed_schema_valid_and_shown_as_text() throws Exception {
    String xml = write(SampleReports.hostile());

    assertThat(xml.codePoints().filter(cp -> !(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0x7E)
        || (cp >= 0xA0 && cp <= 0xD7FF && cp != 0x2028 && Character.getType(cp) != Character.FORMAT)
        || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000))).as("raw control or forbidden characters").isEmpty();
    assertThat(xml).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)");
    Element root = onlySuite(xml);
    assertThat(elements(root, "img")).isEmpty();
    Element regain = onlyChild(testcase(root, "regain-path CAP_SYS_ADMIN"), "failure");
    assertThat(regain.getAttribute("message")).contains("of pid 1 (" + EVIL_SHOWN + ", uid 1000)");
    assertThat(regain.getParentNode().getAttributes().getNamedItem("classname").getNodeValue())
        .matches("capaudit\\.[A-Za-z0-9_-]+");
    assertThat(elements(root, "testcase")).extracting(c -> c.getAttribute("name"))
        .contains("cap-add-not-allowed " + EVIL_SHOWN);
    assertThat(elements(root, "system-out")).extracting(Element::getTextContent)
        .anySatisfy(text -> assertThat(text).contains("Target: container sandbox-" + EVIL_SHOWN)
            .contains("Note: note " + EVIL_SHOWN));
    assertThat(elements(root, "error")).extracting(e -> e.getAttribute("message"))
        .contains("error " + EVIL_SHOWN, "cannot read " + EVIL_SHOWN);
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

    Golden.assertMatches("junit/golden-regression.xml", actual);
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
    Element root = parse(xml).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuite");
    return root;
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

  /** The test case by its name: {@code target-readable}, {@code RULE CAPABILITY}, or a quiet rule's id. */
  private static Element testcase(Element suite, String name) {
    List<Element> matches = elements(suite, "testcase").stream()
        .filter(c -> c.getAttribute("name").equals(name)).toList();
    assertThat(matches).as("testcase %s in suite %s", name, suite.getAttribute("name")).hasSize(1);
    return matches.get(0);
  }

  private static String property(Element suite, String name) {
    return elements(suite, "property").stream().filter(p -> p.getAttribute("name").equals(name))
        .map(p -> p.getAttribute("value")).findFirst().orElseThrow(() -> new AssertionError("no property " + name));
  }
}

package dev.capaudit.reports;

import freemarker.cache.ConditionalTemplateConfigurationFactory;
import freemarker.cache.FileExtensionMatcher;
import freemarker.core.TemplateConfiguration;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.util.List;

/**
 * The one FreeMarker configuration. Templates are {@code .ftlh} (HTML auto-escaping) or {@code .ftlx} (XML), loaded
 * from the class path; a template error is rethrown, never rendered into a report.
 */
public final class Templates {
  private static final Configuration CONFIGURATION = create();

  private Templates() {}

  private static Configuration create() {
    Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
    configuration.setClassForTemplateLoading(Templates.class, "/dev/capaudit/reports");
    configuration.setDefaultEncoding("UTF-8");
    // Off, because it would win over the template configuration below and give .ftlh plain HTML escaping.
    configuration.setRecognizeStandardFileExtensions(false);
    configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    configuration.setLogTemplateExceptions(false);
    configuration.setWrapUncheckedExceptions(true);
    configuration.setFallbackOnNullLoopVariable(false);
    configuration.setAPIBuiltinEnabled(false);
    // .ftlh escapes as HTML and also shows control and invisible characters (VisibleHtml).
    configuration.setRegisteredCustomOutputFormats(List.of(VisibleHtml.INSTANCE));
    TemplateConfiguration html = new TemplateConfiguration();
    html.setOutputFormat(VisibleHtml.INSTANCE);
    configuration.setTemplateConfigurations(new ConditionalTemplateConfigurationFactory(
        new FileExtensionMatcher("ftlh"), html));
    return configuration;
  }

  /** A template by its path under {@code dev/capaudit/reports}, e.g. {@code html/report.ftlh}. */
  public static Template get(String name) throws IOException {
    return CONFIGURATION.getTemplate(name);
  }
}

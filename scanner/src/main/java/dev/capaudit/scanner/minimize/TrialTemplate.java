package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.CapabilityMask;
import java.util.List;
import java.util.Map;

/** How trials of one workload are created: from an image, or from a container's own configuration. */
public interface TrialTemplate {
  /** What is minimized, as the user named it. */
  String target();

  /** The image the trials run. */
  String image();

  /** Whether the trials are built from an existing container (which they never touch). */
  boolean fromContainer();

  /** The create request of a trial with exactly this bounding set and these labels. */
  String createJson(CapabilityMask set, Map<String, String> labels);

  /** The name of one trial of one run. */
  String trialName(String runId, int number);

  /** The set trials start from without --from: Docker's defaults for an image, what a container has. */
  CapabilityMask defaultStart(CapabilityMask kernel);

  /** The original container's labels (none for an image), for the fixes. */
  Map<String, String> labels();

  /** How a trial differs from the original beyond its capabilities, for the report. */
  List<String> notes();
}

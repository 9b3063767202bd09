package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.image.GateProfile;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * capaudit minimize: runs the {@link Search}'s trials in parallel (bounded), each in a fresh container that is
 * removed whatever happens, judges each against the baseline's own processes ({@link Ceiling}), and stops at the
 * budget with the best set proven so far.
 */
public final class Minimizer {
  /** Every trial container carries this label with its run's id: cleanup finds them by it. */
  public static final String LABEL = "capaudit.minimize";
  /** How long the end of a run waits for trials in flight to remove their containers: one engine call at most. */
  static final Duration DRAIN = Duration.ofSeconds(60);

  /** What trials run on: the engine, the host's /proc, and how a passing trial is audited. */
  record Context(DockerEngine engine, HostProc proc, TrialObserver observer, Duration drain) {}

  private final Context context;

  public Minimizer(DockerEngine engine, HostProc proc, ScanSettings scan) {
    this(new Context(engine, proc, new LiveScanner(engine, proc, scan)::scanOne, DRAIN));
  }

  Minimizer(Context context) {
    this.context = context;
  }

  /**
   * Finds the smallest set the workload passes with.
   *
   * @param progress told of each trial as it is decided, in the caller's thread
   * @throws IOException when the engine refuses to create a trial (no such image, a bad configuration)
   */
  public MinimizeResult run(TrialTemplate template, MinimizeSettings settings, Consumer<TrialOutcome> progress)
      throws IOException {
    CapabilityMask kernel = context.proc().kernelCapabilities();
    List<String> adds = settings.capAdd().stream().map(Capability::name).toList();
    CapabilityMask start = settings.from().map(p -> p.startingSet(adds, kernel))
        .orElseGet(() -> template.defaultStart(kernel).union(CapabilityMask.of(settings.capAdd())));
    String from = settings.from().map(GateProfile::id)
        .orElse(template.fromContainer() ? "the container's own" : GateProfile.DOCKER_DEFAULT.id());
    return MinimizeResults.of(new MinimizeRun(context, template, settings, start, progress).go(), from);
  }
}

package dev.capaudit.scanner.live;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.docker.ExecResult;
import dev.capaudit.scanner.runtime.ContainerFiles;
import dev.capaudit.scanner.runtime.OciSpec;
import dev.capaudit.scanner.runtime.SpecExecViews;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The views of a container's exec shells, one per exec user, in the scan's {@link ExecViewMode}: computed from the
 * runtime's OCI spec ({@code oci-spec}), probed by exec ({@code exec-probe}), or derived from the configuration
 * ({@code derived}); the report notes every fallback.
 */
final class ExecViewReader {
  private static final List<String> SHELLS = List.of("/bin/sh", "/bin/bash");

  /**
   * What is known of the container for its exec views.
   *
   * @param spec the five sets of the runtime's spec, when it could be read
   * @param specUid the uid the spec runs the container's process as
   * @param files the container's files as the host sees them, while it runs
   * @param probeable whether an exec can run at all (running, not paused)
   */
  record Container(ContainerConfig config, Optional<CapabilitySets> spec, OptionalLong specUid,
      boolean specNoNewPrivs, Optional<ContainerFiles> files, boolean probeable, String notProbeableWhy) {

    /** What the runtime's spec says, where it could be read; the configuration's no_new_privs otherwise. */
    static Container of(ContainerConfig config, Optional<OciSpec> spec, Optional<CapabilitySets> specSets,
        Optional<ContainerFiles> files, boolean probeable, String notProbeableWhy) {
      OptionalLong uid = spec.map(OciSpec::process).map(OciSpec.Process::user).map(OciSpec.User::uid)
          .map(OptionalLong::of).orElse(OptionalLong.empty());
      boolean noNewPrivs = spec.map(OciSpec::process).map(OciSpec.Process::noNewPrivs)
          .orElse(config.noNewPrivileges());
      return new Container(config, specSets, uid, noNewPrivs, files, probeable, notProbeableWhy);
    }
  }

  private final Optional<ProbeRunner> probes;
  private final ExecViewMode mode;
  private final Container container;
  private final List<String> errors;
  private final List<String> notes;
  private boolean probeFailed;

  /** @param probes how to run exec probes; empty where no engine can run them (a host audit from state) */
  ExecViewReader(Optional<ProbeRunner> probes, ExecViewMode mode, Container container, List<String> errors,
      List<String> notes) {
    this.probes = probes;
    this.mode = mode;
    this.container = container;
    this.errors = errors;
    this.notes = notes;
  }

  List<ExecView> read(List<String> users) {
    List<ExecView> views = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      String user = users.get(i);
      views.add(view(user, isRoot(user, i == 0)));
    }
    return views;
  }

  /** A probe failed: often the first sign of a container going away. */
  boolean probeFailed() {
    return probeFailed;
  }

  private ExecView view(String user, boolean root) {
    boolean probe = probes.isPresent() && container.probeable() && mode.mayProbe()
        && (container.spec().isEmpty() || mode.probesWithSpec());
    if (!probe) {
      if (container.spec().isEmpty() && mode.mayProbe()) {
        notes.add("exec view as " + user + " derived from the configured bounding set "
            + container.config().boundingSet() + ": no OCI spec and no probe (" + container.notProbeableWhy() + ")");
      } else if (container.spec().isEmpty()) {
        notes.add("exec view as " + user + " derived from the configured bounding set "
            + container.config().boundingSet() + ": no OCI spec and probing disabled with --exec-view derive");
      }
      return container.spec().map(spec -> specView(user, root, spec))
          .orElseGet(() -> ExecViews.derived(user, root, container.config()));
    }
    Optional<ExecView> probed = probe(user, root);
    if (probed.isEmpty()) {
      return container.spec().map(spec -> specView(user, root, spec))
          .orElseGet(() -> ExecViews.derived(user, root, container.config()));
    }
    if (mode == ExecViewMode.VERIFY) {
      if (container.spec().isEmpty()) {
        notes.add("exec view as " + user + " not verified: the runtime's OCI spec could not be read");
        return probed.get();
      }
      ExecView predicted = specView(user, root, container.spec().get());
      return new ExecView(user, root, probed.get().capabilities(), probed.get().noNewPrivs(),
          ObservationSource.EXEC_PROBE, Optional.of(predicted.capabilities()));
    }
    return believable(user, root, probed.get());
  }

  /**
   * The probe runs the container's own cat, which a hostile image can replace. An exec starts from the container's
   * bounding set, so a probe showing less than that is not believed: the view is judged by what the spec (or the
   * configuration) gives, and the disagreement is noted. A probe showing more is kept: it is what was observed.
   */
  private ExecView believable(String user, boolean root, ExecView probed) {
    CapabilityMask expected = container.spec().map(s -> s.getOrEmpty(CapabilitySetKind.BOUNDING))
        .orElse(container.config().boundingSet());
    CapabilityMask shown = probed.capabilities().getOrEmpty(CapabilitySetKind.BOUNDING);
    if (expected.minus(shown).isEmpty()) {
      return probed;
    }
    notes.add("the exec probe as " + user + " reported CapBnd=" + shown + ", less than the configured " + expected
        + ": the container's cat may lie; judged by the " + (container.spec().isPresent() ? "runtime's spec"
            : "configured set"));
    return container.spec().map(spec -> specView(user, root, spec))
        .orElseGet(() -> ExecViews.derived(user, root, container.config()));
  }

  private Optional<ExecView> probe(String user, boolean root) {
    String reason;
    try {
      ExecResult result = probes.orElseThrow().run(user, ExecViews.PROBE_COMMAND);
      if (result.succeeded()) {
        try {
          ProcStatus status = ProcStatusParser.parse(result.stdout());
          return Optional.of(new ExecView(user, root || status.runsAsRoot(), status.capabilities(),
              status.noNewPrivs(), ObservationSource.EXEC_PROBE));
        } catch (ProcStatusFormatException e) {
          errors.add("exec probe as " + user + ": " + e.getMessage());
          reason = "its output is not a status";
        }
      } else {
        reason = result.failure();
      }
    } catch (IOException e) {
      reason = e.getMessage();
    }
    probeFailed = true;
    notes.add("exec view as " + user + " " + (container.spec().isPresent() ? "from the runtime's OCI spec"
        : "derived from the configured bounding set " + container.config().boundingSet()) + ": the probe failed ("
        + reason + ")");
    return Optional.empty();
  }

  /** The spec's view; a non-root exec gains what its shell's setuid bit or file capabilities give. */
  private ExecView specView(String user, boolean root, CapabilitySets spec) {
    CapabilitySets best = SpecExecViews.predict(spec, root, container.specNoNewPrivs(), Optional.empty());
    if (!root && !container.specNoNewPrivs() && container.files().isPresent()) {
      for (String shell : SHELLS) {
        Optional<ContainerFiles.Privileges> privileges = container.files().get().privileges(shell);
        if (privileges.isEmpty() || !privileges.get().setuidRoot() && privileges.get().capabilities().isEmpty()) {
          continue;
        }
        CapabilitySets gained = SpecExecViews.predict(spec, false, false, privileges);
        if (gained.getOrEmpty(CapabilitySetKind.PERMITTED).size()
            > best.getOrEmpty(CapabilitySetKind.PERMITTED).size()) {
          best = gained;
          notes.add("an exec shell as " + user + " gains " + gained.getOrEmpty(CapabilitySetKind.PERMITTED)
              + " through " + shell + (privileges.get().setuidRoot() ? " (setuid root)" : " (file capabilities)"));
        }
      }
    }
    return new ExecView(user, root, best, Optional.of(container.specNoNewPrivs()), ObservationSource.OCI_SPEC);
  }

  /** Root for the context the view is judged in: the spec's uid for the configured user, else its uid. */
  private boolean isRoot(String user, boolean configured) {
    if (configured && container.specUid().isPresent()) {
      return container.specUid().getAsLong() == 0;
    }
    OptionalLong uid = ExecViews.numericUid(user);
    if (uid.isPresent()) {
      return uid.getAsLong() == 0;
    }
    String name = ExecViews.userName(user);
    if (container.files().isPresent()) {
      OptionalLong resolved = container.files().get().uidOf(name);
      if (resolved.isPresent()) {
        return resolved.getAsLong() == 0;
      }
      notes.add("user '" + name + "' is not in the container's /etc/passwd: an exec as it would fail; judged as"
          + " non-root");
      return false;
    }
    notes.add("user '" + name + "' cannot be resolved without the container's files; judged as non-root");
    return false;
  }
}

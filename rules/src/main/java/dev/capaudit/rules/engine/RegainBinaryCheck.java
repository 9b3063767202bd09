package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.PrivilegedFile;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names the files through which a non-root process could regain a must-drop capability: known only when the image
 * gate listed the image's setuid and file-capability binaries.
 */
final class RegainBinaryCheck implements Check {
  @Override
  public void check(TargetSnapshot target, Policy policy, FindingCollector findings) {
    if (target.gate().isEmpty() || target.gate().get().privilegedFiles().isEmpty()) {
      return;
    }
    ImageFacts gate = target.gate().get();
    for (ProcessSnapshot process : target.processes()) {
      ProcStatus status = process.status();
      Optional<CapabilityMask> bounding = status.capabilities().get(CapabilitySetKind.BOUNDING);
      if (status.runsAsRoot() || status.noNewPrivs().orElse(false) || bounding.isEmpty()) {
        continue;
      }
      FindingCollector.Site site = ProcessCheck.site(Holder.Kind.PROCESS, status,
          Holder.Member.process(process.pidInContainer()));
      for (Capability capability : bounding.get().intersect(policy.mustDropMask()).capabilities()) {
        List<String> paths = new ArrayList<>();
        for (PrivilegedFile file : gate.privilegedFiles()) {
          if (file.raises(bounding.get()).contains(capability)) {
            paths.add(file.path() + (file.setuid() && file.ownerUid() == 0 ? " (setuid root)"
                : " (" + file.fileCapabilities().names() + ")"));
          }
        }
        if (!paths.isEmpty()) {
          findings.add(site, Rules.REGAIN_BINARY, CapabilityRef.of(capability), CapabilitySetKind.BOUNDING,
              bounding.get(), "by executing " + String.join(", ", paths) + ", NoNewPrivs=0",
              "a non-root process can regain it through a file in the image");
        }
      }
    }
  }
}

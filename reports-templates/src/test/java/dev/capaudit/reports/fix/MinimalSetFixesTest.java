package dev.capaudit.reports.fix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.DockerCapabilities;
import dev.capaudit.rules.enforce.EnforcementPlan;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixes for a set capaudit minimize found: the capsh and setpriv entrypoint's SETPCAP, SETUID and SETGID. */
class MinimalSetFixesTest {
  private static final List<Capability> KEPT = List.of(Capability.SETGID, Capability.SETUID, Capability.SETPCAP);

  /** As minimize writes it: SETUID and SETGID held at start-up by root, SETPCAP also in the agent's bounding set. */
  private static Policy minimal() {
    Map<Capability, LoadBearing> loadBearing = new EnumMap<>(Capability.class);
    EnumSet<AuditContext> rootOnly = EnumSet.of(AuditContext.CONFIG, AuditContext.ROOT_PROCESS,
        AuditContext.ROOT_EXEC);
    loadBearing.put(Capability.SETUID, new LoadBearing(Capability.SETUID, "setpriv", rootOnly));
    loadBearing.put(Capability.SETGID, new LoadBearing(Capability.SETGID, "setpriv", rootOnly));
    EnumSet<AuditContext> anywhere = EnumSet.copyOf(rootOnly);
    anywhere.add(AuditContext.NONROOT_PROCESS);
    loadBearing.put(Capability.SETPCAP, new LoadBearing(Capability.SETPCAP, "capsh", anywhere));
    EnumSet<Capability> mustDrop = EnumSet.allOf(Capability.class);
    mustDrop.removeAll(KEPT);
    return new Policy("minimal capaudit-test:latest", "", mustDrop, loadBearing, UnlistedAction.FAIL,
        EnumSet.allOf(CapabilitySetKind.class));
  }

  private static EnforcementPlan plan() {
    CapabilityMask start = DockerCapabilities.DEFAULT_SET;
    return new EnforcementPlan("capaudit-test:latest", start, KEPT, false, start.minus(CapabilityMask.of(KEPT)),
        List.of(), false);
  }

  @Test
  void the_run_flags_add_back_exactly_the_minimal_set() throws Exception {
    assertThat(Fixes.render(FixFormat.RUN, plan(), minimal(), Map.of())).isEqualTo("# docker run flags for"
        + " capaudit-test:latest\n--cap-drop ALL --cap-add SETGID --cap-add SETUID --cap-add SETPCAP\n");
  }

  @Test
  void the_compose_fix_of_an_image_names_a_service_after_its_repository() throws Exception {
    String compose = Fixes.render(FixFormat.COMPOSE, plan(), minimal(), Map.of(Fixes.COMPOSE_SERVICE,
        Fixes.serviceName("capaudit-test:latest")));

    assertThat(compose).contains("services:\n  capaudit-test:\n    cap_drop:\n    - ALL\n    cap_add:\n    - SETGID\n"
        + "    - SETUID\n    - SETPCAP\n");
  }

  @Test
  void the_shim_keeps_the_set_as_root_and_steps_down_without_setuid_and_setgid() throws Exception {
    String shim = Fixes.render(FixFormat.ENTRYPOINT, plan(), minimal(), Map.of());

    assertThat(shim).contains("--bounding-set=-setgid,-setuid -- \"$@\"");
    assertThat(shim).contains("DROP_BITS=\"0:cap_chown 1:cap_dac_override 2:cap_dac_read_search 3:cap_fowner");
    assertThat(shim).doesNotContain("6:cap_setgid", "7:cap_setuid", "8:cap_setpcap");
  }

  @Test
  void a_service_name_is_the_repository_without_registry_tag_or_digest() {
    assertThat(Fixes.serviceName("capaudit-test:latest")).isEqualTo("capaudit-test");
    assertThat(Fixes.serviceName("registry.local:5000/team/agent:ci")).isEqualTo("agent");
    assertThat(Fixes.serviceName("agent@sha256:0123abcd")).isEqualTo("agent");
    assertThat(Fixes.serviceName("ghcr.io/o/agent:1.2@sha256:ab")).isEqualTo("agent");
    assertThat(Fixes.serviceName("evil\n name:x")).isEqualTo("evil--name");
    assertThat(Fixes.serviceName(":::")).isEqualTo("app");
  }
}

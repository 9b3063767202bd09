package dev.capaudit.reports.html;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every mask the report shows, decoded once: a fleet has few distinct masks but thousands of sets, so each set links
 * to its mask's row instead of repeating its capability names, and the sets of one holder that hold the same mask
 * are shown once ({@code CapPrm/Eff/Bnd=0xa82c25fb}).
 */
final class MaskLegend {
  // Keyed by the bits: a record's generated hashCode is slow until the JIT inlines it, and a short-lived CLI run
  // with the C1 compiler (./capaudit) looks masks up some 20,000 times for a fleet.
  private final Map<Long, HtmlModel.MaskDoc> masks = new LinkedHashMap<>();

  HtmlModel.SetView set(String label, CapabilityMask mask) {
    HtmlModel.MaskDoc doc = masks.computeIfAbsent(mask.bits(), bits -> new HtmlModel.MaskDoc(
        "m" + Long.toHexString(bits), mask.toString(), mask.names()));
    return new HtmlModel.SetView(label + "=" + doc.hex(), doc.hex(), doc.anchor());
  }

  /** The sets, those with the same mask together, non-empty masks first, each group in the kernel's order. */
  List<HtmlModel.SetView> sets(Map<CapabilitySetKind, CapabilityMask> sets) {
    Map<Long, List<CapabilitySetKind>> byMask = new LinkedHashMap<>();
    sets.forEach((kind, mask) -> byMask.computeIfAbsent(mask.bits(), m -> new ArrayList<>()).add(kind));
    List<HtmlModel.SetView> views = new ArrayList<>();
    byMask.forEach((bits, kinds) -> {
      if (bits != 0) {
        views.add(set(label(kinds), new CapabilityMask(bits)));
      }
    });
    byMask.forEach((bits, kinds) -> {
      if (bits == 0) {
        views.add(set(label(kinds), CapabilityMask.EMPTY));
      }
    });
    return views;
  }

  /** {@code CapPrm/Eff/Bnd}: the /proc names, the common {@code Cap} written once. */
  static String label(List<CapabilitySetKind> kinds) {
    StringBuilder label = new StringBuilder(kinds.get(0).procField());
    for (int i = 1; i < kinds.size(); i++) {
      label.append('/').append(kinds.get(i).procField().substring(3));
    }
    return label.toString();
  }

  List<HtmlModel.MaskDoc> docs() {
    List<HtmlModel.MaskDoc> docs = new ArrayList<>(masks.values());
    docs.sort((a, b) -> Long.compareUnsigned(Long.parseUnsignedLong(a.hex().substring(2), 16),
        Long.parseUnsignedLong(b.hex().substring(2), 16)));
    return docs;
  }

  /** Every capability in any mask shown, most dangerous first; bits capaudit does not know come last. */
  List<HtmlModel.CapabilityDoc> capabilities() {
    CapabilityMask all = CapabilityMask.EMPTY;
    for (long bits : masks.keySet()) {
      all = all.union(new CapabilityMask(bits));
    }
    List<HtmlModel.CapabilityDoc> docs = new ArrayList<>();
    for (Capability capability : all.capabilities()) {
      docs.add(new HtmlModel.CapabilityDoc(capability.riskRank(), capability.canonicalName(), capability.risk()));
    }
    docs.sort(Comparator.comparingInt(HtmlModel.CapabilityDoc::rank));
    for (int bit : all.unknownBits()) {
      docs.add(new HtmlModel.CapabilityDoc(0, CapabilityMask.unknownName(bit), "unknown to capaudit: a capability"
          + " of a newer kernel"));
    }
    return docs;
  }
}

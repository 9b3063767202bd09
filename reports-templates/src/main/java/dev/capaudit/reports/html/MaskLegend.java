package dev.capaudit.reports.html;

import dev.capaudit.rules.capability.CapabilityMask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every mask the report shows, decoded once: a fleet has few distinct masks but thousands of sets, so each set links
 * to its mask's row instead of repeating its capability names.
 */
final class MaskLegend {
  private final Map<CapabilityMask, HtmlModel.MaskDoc> masks = new LinkedHashMap<>();

  HtmlModel.SetView set(String label, CapabilityMask mask) {
    HtmlModel.MaskDoc doc = masks.computeIfAbsent(mask, m -> new HtmlModel.MaskDoc(
        "m" + Long.toHexString(m.bits()), m.toString(), m.names()));
    return new HtmlModel.SetView(label, doc.hex(), doc.anchor());
  }

  List<HtmlModel.MaskDoc> docs() {
    List<HtmlModel.MaskDoc> docs = new ArrayList<>(masks.values());
    docs.sort((a, b) -> Long.compareUnsigned(Long.parseUnsignedLong(a.hex().substring(2), 16),
        Long.parseUnsignedLong(b.hex().substring(2), 16)));
    return docs;
  }
}

package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.scanner.image.GateProfile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a minimize run searches.
 *
 * @param from the profile to start from; empty means the template's own (Docker's defaults, what a container has)
 * @param capAdd capabilities added to the starting set
 * @param parallel how many trials run at once
 * @param budget the longest the whole run may take; when it is over, the best set proven so far is reported
 */
public record MinimizeSettings(Optional<GateProfile> from, List<Capability> capAdd, TrialSettings trial,
    int parallel, Optional<Duration> budget) {
  public MinimizeSettings {
    capAdd = List.copyOf(capAdd);
  }
}

package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.CapabilityMask;

/**
 * A trial the search asks for.
 *
 * @param number counts from 1 in the order the search asked
 * @param set the bounding set the trial runs with (CapDrop ALL, CapAdd exactly these)
 * @param removed what the set leaves out of the set it was derived from (the starting set, or the set proven so far)
 */
public record TrialRequest(int number, Phase phase, CapabilityMask set, CapabilityMask removed) {}

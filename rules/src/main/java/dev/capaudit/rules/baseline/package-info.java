/** Comparing a run with a baseline run: new, existing and fixed findings. */
package dev.capaudit.rules.baseline;

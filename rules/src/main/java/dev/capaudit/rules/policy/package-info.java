/** The capability policy: must-drop, load-bearing by context, and what happens to everything else. */
package dev.capaudit.rules.policy;

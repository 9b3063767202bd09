/** The rule engine: documented rules, the checks that apply them, findings and verdicts. */
package dev.capaudit.rules.engine;

/**
 * The SARIF 2.1.0 report for code-scanning dashboards: records serialized with Jackson, one run, one result per
 * finding, unreadable targets as tool execution notifications.
 */
package dev.capaudit.reports.sarif;

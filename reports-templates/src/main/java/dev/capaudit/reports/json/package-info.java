/** The JSON report: records serialized with Jackson, the contract CI jobs and baselines parse. */
package dev.capaudit.reports.json;

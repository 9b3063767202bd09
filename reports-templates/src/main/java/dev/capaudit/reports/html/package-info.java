/** The HTML report: a view model computed in Java, laid out by an auto-escaping FreeMarker template. */
package dev.capaudit.reports.html;

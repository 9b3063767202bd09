/** The issue-style Markdown report, for pasting a regression into a tracker. */
package dev.capaudit.reports.markdown;

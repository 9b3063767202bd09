/** Renders an audit result in the formats people read and CI consumes. */
package dev.capaudit.reports;

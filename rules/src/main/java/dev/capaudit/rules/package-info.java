/** capaudit's pure domain: capabilities, /proc status, policies and the rule engine, with no I/O library. */
package dev.capaudit.rules;

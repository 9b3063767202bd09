/** Text rules shared by every name a user or a file gives: case folded in ASCII only. */
package dev.capaudit.rules.text;

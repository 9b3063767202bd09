/**
 * Bounds on what the scanner reads and keeps: the files a user names and the kernel's files, within size limits
 * checked before anything is parsed, host tools' output, and the maps a long watch holds.
 */
package dev.capaudit.scanner.io;

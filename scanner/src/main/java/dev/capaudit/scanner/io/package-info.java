/** Reading the files a user names and the kernel's files, within size limits checked before anything is parsed. */
package dev.capaudit.scanner.io;

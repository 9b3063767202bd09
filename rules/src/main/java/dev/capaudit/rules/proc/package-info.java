/** Reading the kernel's truth: the fields of /proc/N/status that decide a process's capabilities. */
package dev.capaudit.rules.proc;

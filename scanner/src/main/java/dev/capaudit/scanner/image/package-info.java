/** The CI gate for images: a throwaway container under a runtime profile, audited after its entrypoint settles. */
package dev.capaudit.scanner.image;

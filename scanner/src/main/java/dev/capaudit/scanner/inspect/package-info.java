/** Reading container configuration from the raw JSON of docker inspect. */
package dev.capaudit.scanner.inspect;

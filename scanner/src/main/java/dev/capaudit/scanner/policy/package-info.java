/** Reading capability policies from YAML files into the domain's {@code Policy}. */
package dev.capaudit.scanner.policy;

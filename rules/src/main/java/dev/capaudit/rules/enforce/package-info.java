/** Planning enforcement: the runtime settings that make a policy true, and what they take away. */
package dev.capaudit.rules.enforce;

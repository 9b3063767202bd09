/** capaudit minimize: the smallest capability set a workload needs, found by trials in throwaway containers. */
package dev.capaudit.scanner.minimize;

package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Decodes capability masks into names and bit numbers, like {@code capsh --decode}. */
@Command(name = "decode", mixinStandardHelpOptions = true,
    description = "Print the capabilities in each mask (0x2001e9, 00000000a80425fb), or in every set of a captured"
        + " /proc/N/status file.")
final class DecodeCommand extends AbstractCommand {
  @Parameters(paramLabel = "MASK", arity = "0..*", description = "Capability masks in hex, with or without 0x.")
  List<String> masks = new ArrayList<>();

  @Option(names = "--status", paramLabel = "FILE", description = "A /proc/N/status file to decode all five sets of.")
  Path status;

  @Override
  protected ExitCode execute() throws CliProblem {
    if (masks.isEmpty() && status == null) {
      throw CliProblem.usage("decode needs a MASK or --status FILE");
    }
    for (String text : masks) {
      try {
        print(null, CapabilityMask.parse(text));
      } catch (IllegalArgumentException e) {
        throw CliProblem.usage(e.getMessage());
      }
    }
    if (status != null) {
      decodeStatus();
    }
    return ExitCode.PASS;
  }

  private void decodeStatus() throws CliProblem {
    ProcStatus parsed;
    try {
      // A status is what the kernel prints for one process: the kernel-file limit applies, and /proc/N/status
      // itself (a size of 0) is read as a stream.
      parsed = ProcStatusParser.parse(BoundedFiles.readText(status, BoundedFiles.PROC_LIMIT, "status file"));
    } catch (InputFileException e) {
      throw CliProblem.usage(e.getMessage());
    } catch (ProcStatusFormatException e) {
      throw CliProblem.usage(status + ": " + e.getMessage());
    }
    out().printf("pid %d (%s) uid %s, NoNewPrivs %s, Seccomp %s%n", parsed.innermostPid(),
        Printable.of(parsed.name()), Integer.toUnsignedString(parsed.effectiveUid()),
        parsed.noNewPrivs().map(b -> b ? "1" : "0").orElse("not reported"),
        parsed.seccomp().map(s -> s.id()).orElse("not reported"));
    for (CapabilitySetKind kind : CapabilitySetKind.values()) {
      parsed.capabilities().get(kind).ifPresentOrElse(
          mask -> print(kind.procField(), mask),
          () -> out().printf("%s: not reported by this kernel%n", kind.procField()));
    }
  }

  private void print(String label, CapabilityMask mask) {
    out().printf("%s%s (%d %s)%n", label == null ? "" : label + " = ", mask, mask.size(),
        mask.size() == 1 ? "capability" : "capabilities");
    for (Capability capability : mask.capabilities()) {
      out().printf("  %2d  %-24s %s%n", capability.bit(), capability.canonicalName(), capability.risk());
    }
    for (int bit : mask.unknownBits()) {
      out().printf("  %2d  %-24s %s%n", bit, CapabilityMask.unknownName(bit), "unknown to capaudit (newer kernel?)");
    }
  }
}

package dev.capaudit.scanner.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads input files within a size limit that is checked before the content is parsed, so {@code /dev/zero}, a FIFO
 * or a huge file can neither exhaust the heap nor hang the tool. Messages say why a file cannot be used in the
 * words of the system ({@code No such file or directory}, {@code Permission denied}).
 */
public final class BoundedFiles {
  /** The limit for policies, snapshots and the files a snapshot names. */
  public static final int DOCUMENT_LIMIT = 3 * 1024 * 1024;
  /** The limit for a JSON report read back (baselines, {@code diff}, {@code merge}). */
  public static final int REPORT_LIMIT = 256 * 1024 * 1024;
  /** The limit for one {@code /proc} file: a status is about 1.5 KiB, a cgroup list a few hundred bytes. */
  public static final int PROC_LIMIT = 64 * 1024;
  /** The longest a read of a user's file may take; a local file of a few MiB takes milliseconds. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private static final ExecutorService READERS = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "capaudit-bounded-read");
    thread.setDaemon(true);
    return thread;
  });

  private BoundedFiles() {}

  /**
   * A regular file's text, strictly UTF-8.
   *
   * @param what what the file is, for messages ({@code policy}, {@code snapshot})
   * @throws InputFileException when the path is empty, the file is missing, unreadable, not a regular file, over
   *     the limit, not valid UTF-8, or does not reach its end within {@link #READ_TIMEOUT}
   */
  public static String readText(Path file, int maxBytes, String what) throws InputFileException {
    byte[] bytes = readBytes(file, maxBytes, what);
    return decode(bytes, what + " " + file);
  }

  /** A regular file's bytes, within the size limit and {@link #READ_TIMEOUT}. */
  public static byte[] readBytes(Path file, int maxBytes, String what) throws InputFileException {
    if (file.toString().isEmpty()) {
      // Path.of("") is the working directory: say what was given, not that a directory is not a file.
      throw new InputFileException("no " + what + " given (the path is empty)");
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new InputFileException("cannot read " + what + " " + file + ": " + reason(e));
    }
    if (!attributes.isRegularFile()) {
      throw new InputFileException("cannot read " + what + " " + file + ": not a regular file"
          + (attributes.isDirectory() ? " (a directory)" : " (a FIFO, socket or device)"));
    }
    if (attributes.size() > maxBytes) {
      throw new InputFileException(what + " " + file + " is larger than " + human(maxBytes) + " ("
          + human(attributes.size()) + ")");
    }
    return within(READ_TIMEOUT, what + " " + file, () -> readAtMost(file, maxBytes, what));
  }

  private static byte[] readAtMost(Path file, int maxBytes, String what) throws InputFileException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        // The file grew after its size was checked, or it is a kernel file that reports a size of 0.
        throw new InputFileException(what + " " + file + " is larger than " + human(maxBytes));
      }
      return bytes;
    } catch (IOException e) {
      throw new InputFileException("cannot read " + what + " " + file + ": " + reason(e));
    }
  }

  /** A read that must finish in time. */
  interface Read {
    byte[] run() throws InputFileException;
  }

  /**
   * Runs a read on a daemon thread and gives up after the timeout: a regular file can still block (a path swapped
   * for a FIFO after its type was checked, {@code /proc/kmsg}, a hung network mount), and a blocked read must not
   * hang the tool. The abandoned thread is interrupted and, being a daemon, does not keep the JVM alive.
   */
  static byte[] within(Duration timeout, String what, Read read) throws InputFileException {
    Future<byte[]> future = READERS.submit(read::run);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      String limit = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
      throw new InputFileException("cannot read " + what + ": no end of file within " + limit
          + " (it blocks, like a FIFO or a device)");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new InputFileException("cannot read " + what + ": interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InputFileException input) {
        throw input;
      }
      throw new InputFileException("cannot read " + what + ": " + e.getCause());
    }
  }

  /**
   * A kernel file ({@code /proc/N/status}), read through a stream because procfs reports a size of 0; empty when
   * it cannot be read (the process exited) or is over the limit (not what the kernel prints).
   */
  public static Optional<String> readKernelFile(Path file, int maxBytes) {
    // A host audit reads tens of thousands of these: one buffer per thread, not one allocation per file.
    byte[] buffer = KERNEL_BUFFER.get();
    if (buffer.length < maxBytes + 1) {
      buffer = new byte[maxBytes + 1];
    }
    try (InputStream in = Files.newInputStream(file)) {
      int length = 0;
      while (length <= maxBytes) {
        int read = in.read(buffer, length, maxBytes + 1 - length);
        if (read < 0) {
          break;
        }
        length += read;
      }
      if (length > maxBytes) {
        return Optional.empty();
      }
      return Optional.of(new String(buffer, 0, length, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static final ThreadLocal<byte[]> KERNEL_BUFFER = ThreadLocal.withInitial(() -> new byte[PROC_LIMIT + 1]);

  /** Text from bytes that must be UTF-8; the message names the byte offset of the first bad sequence. */
  public static String decode(byte[] bytes, String what) throws InputFileException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InputFileException(what + " is not valid UTF-8 (first bad byte at offset "
          + firstBadByte(bytes) + ")");
    }
  }

  private static int firstBadByte(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : bytes.length;
  }

  /** The system's words for an I/O failure, never just the file name that Java's exceptions carry. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof MalformedInputException) {
      return "not valid UTF-8";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  static String human(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MiB";
    }
    if (bytes >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " bytes";
  }

}

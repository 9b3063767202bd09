package dev.capaudit.scanner.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads nested buckets of a bbolt database ({@code meta.db}), read-only and bounded: containerd keeps the labels
 * of its containers (the kubelet's {@code io.kubernetes.pod.name}, ...) there and nowhere else on disk. No Java
 * library reads the format; it is small (go.etcd.io/bbolt {@code page.go}, {@code bucket.go}): fixed-size pages,
 * two meta pages naming the root bucket, branch and leaf pages of sorted keys, and buckets as leaf values (inline
 * when small).
 */
final class BoltReader implements AutoCloseable {
  private static final int MAGIC = 0xED0CDAED;
  private static final int HEADER = 16;
  private static final int ELEMENT = 16;
  private static final short BRANCH = 0x01;
  private static final short LEAF = 0x02;
  private static final int BUCKET_FLAG = 0x01;
  /** Pages read per lookup: a walk that needs more is a corrupt (or cyclic) file, not a big one. */
  private static final int MAX_PAGES = 100_000;
  private static final int MAX_DEPTH = 64;

  private final FileChannel file;
  private final int pageSize;
  private final long rootPage;
  private int pagesRead;

  private BoltReader(FileChannel file, int pageSize, long rootPage) {
    this.file = file;
    this.pageSize = pageSize;
    this.rootPage = rootPage;
  }

  /** Opens the database, or empty when it is not a bbolt file capaudit can read. */
  static Optional<BoltReader> open(Path path) {
    try {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      ByteBuffer first = read(channel, 0, 4096);
      int pageSize = first.getInt(HEADER + 8);
      if (first.getInt(HEADER) != MAGIC || pageSize < 512 || pageSize > 1 << 20) {
        channel.close();
        return Optional.empty();
      }
      // Of the two meta pages, the one with the later transaction is current.
      ByteBuffer second = read(channel, pageSize, HEADER + 64);
      ByteBuffer meta = second.getInt(HEADER) == MAGIC && second.getLong(HEADER + 48) > first.getLong(HEADER + 48)
          ? second : first;
      return Optional.of(new BoltReader(channel, pageSize, meta.getLong(HEADER + 16)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The string keys and values of the bucket at the path of nested bucket names, or empty when absent. */
  Optional<Map<String, String>> bucket(List<String> path) throws IOException {
    pagesRead = 0;
    Bucket bucket = new Bucket(rootPage, null);
    for (String name : path) {
      Optional<Bucket> child = find(bucket, name);
      if (child.isEmpty()) {
        return Optional.empty();
      }
      bucket = child.get();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Entry entry : entries(bucket)) {
      if (!entry.bucket()) {
        values.put(text(entry.key()), text(entry.value()));
      }
    }
    return Optional.of(values);
  }

  /** The names of the sub-buckets of a bucket. */
  List<String> buckets(List<String> path) throws IOException {
    pagesRead = 0;
    Bucket bucket = new Bucket(rootPage, null);
    for (String name : path) {
      Optional<Bucket> child = find(bucket, name);
      if (child.isEmpty()) {
        return List.of();
      }
      bucket = child.get();
    }
    List<String> names = new ArrayList<>();
    for (Entry entry : entries(bucket)) {
      if (entry.bucket()) {
        names.add(text(entry.key()));
      }
    }
    return names;
  }

  /** A bucket: its root page, or (root 0) its inline page. */
  private record Bucket(long root, ByteBuffer inline) {}

  private record Entry(byte[] key, byte[] value, boolean bucket) {}

  private Optional<Bucket> find(Bucket parent, String name) throws IOException {
    for (Entry entry : entries(parent)) {
      if (entry.bucket() && text(entry.key()).equals(name)) {
        ByteBuffer value = ByteBuffer.wrap(entry.value()).order(ByteOrder.LITTLE_ENDIAN);
        long root = value.getLong(0);
        return Optional.of(root == 0
            ? new Bucket(0, ByteBuffer.wrap(entry.value(), ELEMENT, entry.value().length - ELEMENT).slice()
                .order(ByteOrder.LITTLE_ENDIAN))
            : new Bucket(root, null));
      }
    }
    return Optional.empty();
  }

  private List<Entry> entries(Bucket bucket) throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (bucket.inline() != null) {
      leaf(bucket.inline(), entries);
    } else {
      walk(bucket.root(), entries, 0);
    }
    return entries;
  }

  private void walk(long pageId, List<Entry> entries, int depth) throws IOException {
    if (depth > MAX_DEPTH || ++pagesRead > MAX_PAGES) {
      throw new IOException("meta.db: the bucket tree is deeper or larger than a sane database's");
    }
    ByteBuffer header = read(file, pageId * pageSize, HEADER);
    int overflow = header.getInt(12);
    ByteBuffer page = read(file, pageId * pageSize, (long) pageSize * (overflow + 1L));
    short flags = page.getShort(8);
    if (flags == LEAF) {
      leaf(page, entries);
    } else if (flags == BRANCH) {
      int count = Short.toUnsignedInt(page.getShort(10));
      for (int i = 0; i < count; i++) {
        walk(page.getLong(HEADER + i * ELEMENT + 8), entries, depth + 1);
      }
    } else {
      throw new IOException("meta.db: page " + pageId + " is neither a branch nor a leaf");
    }
  }

  private static void leaf(ByteBuffer page, List<Entry> entries) throws IOException {
    int count = Short.toUnsignedInt(page.getShort(10));
    for (int i = 0; i < count; i++) {
      int element = HEADER + i * ELEMENT;
      int flags = page.getInt(element);
      int pos = page.getInt(element + 4);
      int keySize = page.getInt(element + 8);
      int valueSize = page.getInt(element + 12);
      int start = element + pos;
      if (pos < 0 || keySize < 0 || valueSize < 0 || (long) start + keySize + valueSize > page.limit()) {
        throw new IOException("meta.db: an element points outside its page");
      }
      byte[] key = new byte[keySize];
      byte[] value = new byte[valueSize];
      page.get(start, key);
      page.get(start + keySize, value);
      entries.add(new Entry(key, value, (flags & BUCKET_FLAG) != 0));
    }
  }

  private static ByteBuffer read(FileChannel channel, long offset, long length) throws IOException {
    if (length > 64L * 1024 * 1024 || offset < 0 || offset + length > channel.size()) {
      throw new IOException("meta.db: a page lies outside the file");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new IOException("meta.db: the file ends inside a page");
      }
    }
    return buffer.flip();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  /** Closes a database only read from: nothing is pending that a failure to close could lose. */
  void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // read-only
    }
  }
}

package dev.swarmcdn.kit.http;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Validators of a file on disk: a strong ETag and a Last-Modified time, both from its attributes,
 * so no byte of the file is read.
 *
 * <p>The ETag is {@code "<hex size>-<hex mtime in nanoseconds>"}. Rewriting a file changes its mtime
 * at nanosecond resolution, so two versions sharing both values is not a practical risk. The inode
 * (the file key) is left out on purpose, as nginx does and Apache learnt to: replicas of the same
 * media folder on several origin hosts then give equal tags, and edges can revalidate against any.
 */
public final class FileValidators {

  private FileValidators() {}

  public static String strongEtag(BasicFileAttributes attributes) {
    return strongEtag(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
  }

  public static String strongEtag(long size, long modifiedNanos) {
    return "\"" + Long.toHexString(size) + "-" + Long.toHexString(modifiedNanos) + "\"";
  }

  public static long lastModifiedMillis(BasicFileAttributes attributes) {
    return attributes.lastModifiedTime().toMillis();
  }
}

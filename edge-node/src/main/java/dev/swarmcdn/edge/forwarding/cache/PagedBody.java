package dev.swarmcdn.edge.forwarding.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.util.Arrays;

/**
 * An object body held off-heap in pooled direct pages, written once by one upstream fill while any
 * number of readers send the part already written.
 *
 * <p>Pages never move once allocated, so a reader can slice the published prefix while the writer
 * appends: that is what lets every coalesced waiter receive bytes as they arrive instead of waiting
 * for the whole object. Reference counted: the cache holds one reference per entry, each response
 * being sent holds one, and the pages go back to the pool when the last is released (a body only
 * passed through gives them back as they are sent, see {@link #discardBefore}).
 *
 * <p>Threading: {@link #append} from the single writer only; everything else from any thread.
 */
public final class PagedBody extends AbstractReferenceCounted {

  /** Pages of a body of known length: big enough to write in few calls, small enough to pool. */
  static final int MAX_PAGE = 256 * 1024;
  private static final int FIRST_UNKNOWN_PAGE = 16 * 1024;

  private record Page(ByteBuf buf, long start) {}

  private final ByteBufAllocator allocator;
  private long expectedLength = -1;
  private volatile Page[] pages = new Page[0];
  private volatile long published;
  private long allocated;

  public PagedBody(ByteBufAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * Sizes the pages for a body of this length (the upstream's Content-Length), so a known-length
   * body wastes no page space. Writer only, before the first {@link #append}.
   */
  public void expect(long length) {
    this.expectedLength = length;
  }

  /** Copies {@code chunk} to the end of the body and publishes it to readers. Writer only. */
  public void append(ByteBuf chunk) {
    int remaining = chunk.readableBytes();
    int from = chunk.readerIndex();
    long written = published;
    while (remaining > 0) {
      Page last = pages.length == 0 ? null : pages[pages.length - 1];
      if (last == null || !last.buf.isWritable()) {
        last = addPage(written);
      }
      int n = Math.min(remaining, last.buf.writableBytes());
      last.buf.writeBytes(chunk, from, n);
      from += n;
      remaining -= n;
      written += n;
    }
    // Publish after the bytes are in place: a reader that sees the new length sees the bytes.
    published = written;
  }

  private Page addPage(long start) {
    int size;
    if (expectedLength >= 0 && start < expectedLength) {
      size = (int) Math.min(MAX_PAGE, expectedLength - start);
    } else {
      // Unknown length (or more than announced): grow geometrically, so small bodies stay small.
      size = (int) Math.min(MAX_PAGE, Math.max(FIRST_UNKNOWN_PAGE, start));
    }
    Page page = new Page(allocator.directBuffer(size, size), start);
    Page[] grown = Arrays.copyOf(pages, pages.length + 1);
    grown[grown.length - 1] = page;
    pages = grown;
    allocated += size;
    return page;
  }

  /** Whether {@link #discardBefore} at this offset would drop a page. */
  public boolean discards(long offset) {
    Page[] current = pages;
    return current.length > 1 && current[0].start + current[0].buf.capacity() <= offset;
  }

  /**
   * Gives the pages wholly before {@code offset} back to the pool: a body passed through, not kept,
   * whose readers have all sent those bytes. Nobody may slice below {@code offset} afterwards. The
   * page being written stays. Writer only.
   */
  public void discardBefore(long offset) {
    Page[] current = pages;
    int dropped = 0;
    while (dropped < current.length - 1
        && current[dropped].start + current[dropped].buf.capacity() <= offset) {
      Page page = current[dropped++];
      allocated -= page.buf.capacity();
      page.buf.release();
    }
    if (dropped > 0) {
      pages = Arrays.copyOfRange(current, dropped, current.length);
    }
  }

  /** Bytes written and readable so far. */
  public long published() {
    return published;
  }

  /** Off-heap bytes held now, for the cache's weigher. */
  public long allocatedBytes() {
    return allocated;
  }

  /**
   * A view of up to {@code max} published bytes starting at {@code offset}, within one page. Not
   * retained: the caller must hold a reference on this body until the view has been written.
   */
  public ByteBuf slice(long offset, int max) {
    long end = published;
    if (offset < 0 || offset >= end) {
      throw new IndexOutOfBoundsException("offset " + offset + " outside published " + end);
    }
    Page[] snapshot = pages;
    int index = pageIndex(snapshot, offset);
    Page page = snapshot[index];
    int inPage = (int) (offset - page.start);
    // Bound by the page's fixed capacity, not its writerIndex: the writer's index is not published
    // to this thread, the volatile length is, and everything below it is in place.
    int length = (int) Math.min(Math.min(max, end - offset), page.buf.capacity() - inPage);
    return page.buf.slice(inPage, length);
  }

  private static int pageIndex(Page[] snapshot, long offset) {
    int low = 0;
    int high = snapshot.length - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (snapshot[mid].start <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /** Takes a reference unless the body was already freed; false means: treat as a miss. */
  public boolean tryRetain() {
    while (true) {
      int count = refCnt();
      if (count == 0) {
        return false;
      }
      try {
        retain();
        return true;
      } catch (io.netty.util.IllegalReferenceCountException raced) {
        // Released between refCnt() and retain(): loop sees 0 and gives up.
      }
    }
  }

  @Override
  protected void deallocate() {
    for (Page page : pages) {
      page.buf.release();
    }
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    return this;
  }
}

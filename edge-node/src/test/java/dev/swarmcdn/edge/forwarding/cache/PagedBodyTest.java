package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pages that never move, published as they fill, given back when dropped or released. */
class PagedBodyTest {

  /** Counts the direct memory it hands out, so a test sees pages come and go. */
  private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);

  private long held() {
    return allocator.metric().usedDirectMemory();
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aBodyOfKnownLengthTakesExactlyItsLengthInPagesAndReadsBackWhole() {
    byte[] bytes = random(PagedBody.MAX_PAGE * 2 + 1000);
    PagedBody body = new PagedBody(allocator);
    body.expect(bytes.length);
    // In uneven chunks, as a socket delivers them.
    for (int at = 0; at < bytes.length; at += 70_001) {
      body.append(Unpooled.wrappedBuffer(bytes, at, Math.min(70_001, bytes.length - at)));
    }
    assertEquals(bytes.length, body.published());
    assertEquals(bytes.length, body.allocatedBytes(), "no page space wasted");
    assertArrayEquals(bytes, PagedBodies.copy(body, bytes.length));
    ByteBuf acrossPages = body.slice(PagedBody.MAX_PAGE - 10, 100);
    assertEquals(10, acrossPages.readableBytes(), "a slice ends with its page");
    assertTrue(body.release());
    assertEquals(0, held(), "the last release gives every page back");
  }

  @Test
  void aBodyOfUnknownLengthGrowsInPagesThatStaySmallForSmallBodies() {
    PagedBody small = new PagedBody(allocator);
    small.append(Unpooled.wrappedBuffer(random(100)));
    assertEquals(16 * 1024, small.allocatedBytes());
    PagedBody large = new PagedBody(allocator);
    byte[] bytes = random(PagedBody.MAX_PAGE * 3);
    large.append(Unpooled.wrappedBuffer(bytes));
    assertArrayEquals(bytes, PagedBodies.copy(large, bytes.length));
    assertTrue(large.allocatedBytes() >= bytes.length && large.allocatedBytes() < bytes.length + PagedBody.MAX_PAGE);
    small.release();
    large.release();
    assertEquals(0, held());
  }

  @Test
  void onlyPublishedBytesCanBeSliced() {
    PagedBody body = new PagedBody(allocator);
    body.expect(10);
    body.append(Unpooled.wrappedBuffer("01234".getBytes()));
    assertEquals(5, body.slice(0, 100).readableBytes(), "up to what was written, not to the page's end");
    assertThrows(IndexOutOfBoundsException.class, () -> body.slice(5, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> body.slice(-1, 1));
    body.release();
  }

  @Test
  void discardingGivesBackWholePagesBeforeTheOffsetAndKeepsThePageBeingWritten() {
    byte[] bytes = random(PagedBody.MAX_PAGE * 3);
    PagedBody body = new PagedBody(allocator);
    body.expect(bytes.length);
    body.append(Unpooled.wrappedBuffer(bytes));
    assertFalse(body.discards(PagedBody.MAX_PAGE - 1), "the first page still has an unsent byte");
    assertTrue(body.discards(PagedBody.MAX_PAGE));
    body.discardBefore(PagedBody.MAX_PAGE + 5);
    assertEquals(2L * PagedBody.MAX_PAGE, body.allocatedBytes(), "one page went back");
    ByteBuf kept = body.slice(PagedBody.MAX_PAGE, 4);
    byte[] read = new byte[4];
    kept.getBytes(kept.readerIndex(), read);
    assertArrayEquals(Arrays.copyOfRange(bytes, PagedBody.MAX_PAGE, PagedBody.MAX_PAGE + 4), read);
    body.discardBefore(bytes.length);
    assertEquals(PagedBody.MAX_PAGE, body.allocatedBytes(), "the last page stays");
    body.release();
    assertEquals(0, held());
  }

  @Test
  void aReleasedBodyCannotBeRetainedAgain() {
    PagedBody body = new PagedBody(allocator);
    assertTrue(body.tryRetain());
    assertEquals(2, body.refCnt());
    body.release(2);
    assertFalse(body.tryRetain(), "a lookup racing an eviction treats it as a miss");
  }
}

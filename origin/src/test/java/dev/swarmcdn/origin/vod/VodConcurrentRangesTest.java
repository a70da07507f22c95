package dev.swarmcdn.origin.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many range requests at once over one segment: every answer must be exactly its slice of the file. */
class VodConcurrentRangesTest {

  private static final int REQUESTS = 300;

  @TempDir
  Path tempDir;

  private record Expected(long first, long last) {}

  @Test
  void threeHundredParallelRandomRangesAreByteExact() throws Exception {
    try (RunningOrigin origin = RunningOrigin.start(tempDir)) {
      Path segmentFile = origin.clip.segments().get(0);
      byte[] segment = Files.readAllBytes(segmentFile);
      String path = "/vod/clip/" + segmentFile.getFileName();
      long seed = System.nanoTime();
      Random random = new Random(seed);
      List<Expected> expected = new ArrayList<>();
      List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
      AtomicInteger completed = new AtomicInteger();
      for (int i = 0; i < REQUESTS; i++) {
        long first = random.nextInt(segment.length);
        long last = first + random.nextInt(segment.length - (int) first);
        expected.add(new Expected(first, last));
        answers.add(origin.client().sendAsync(origin.request("GET", path, "Range", "bytes=" + first + "-" + last),
            HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> completed.incrementAndGet()));
      }
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> completed.get() == REQUESTS);
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<byte[]> response = answers.get(i).join();
        Expected range = expected.get(i);
        String context = "seed " + seed + ", request " + i + ": " + range;
        assertEquals(206, response.statusCode(), context);
        assertEquals("bytes " + range.first() + "-" + range.last() + "/" + segment.length,
            response.headers().firstValue("Content-Range").orElse(null), context);
        assertArrayEquals(Arrays.copyOfRange(segment, (int) range.first(), (int) range.last() + 1),
            response.body(), context);
      }
    }
  }
}

package dev.swarmcdn.edge.seeding;

import dev.swarmcdn.edge.security.RequestPath;
import dev.swarmcdn.peer.seeder.Seeder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Tells the seeder which playlists viewers ask this edge for (the swarms worth joining), and counts
 * what the edge sends over HTTP to viewers of the swarms it seeds, beside what the seeder sends
 * over data channels. Passes every request on.
 */
public final class SeederWatch implements Handler<RoutingContext> {
  private final Supplier<Seeder> seeder;

  public SeederWatch(Supplier<Seeder> seeder) {
    this.seeder = seeder;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Seeder current = seeder.get();
    if (current != null) {
      String path = RequestPath.of(ctx);
      if (path.endsWith(".m3u8")) {
        current.viewed(path);
      } else {
        ctx.addBodyEndHandler(ignored -> current.httpSent(path, ctx.response().bytesWritten()));
      }
    }
    ctx.next();
  }
}

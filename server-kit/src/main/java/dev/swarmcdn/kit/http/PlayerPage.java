package dev.swarmcdn.kit.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web player (its demo page and the player.js / player.mjs bundles) at {@value #PATH}, served
 * from the class-path resources under {@code player/} that the web-player jar brings. Where that jar
 * is not on the class path, the path answers 404. Vert.x would mark the files immutable for a day; the
 * bundles change with every build under the same names, so browsers are told nothing to cache.
 */
public final class PlayerPage {

  public static final String PATH = "/player/";

  private PlayerPage() {}

  public static void mount(Router router) {
    router.route(PATH + "*").handler(StaticHandler.create("player").setCachingEnabled(false));
  }
}

package dev.swarmcdn.tracker.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/** Hazelcast completes on its own threads; handlers chained on these futures run on the caller's context. */
final class OnCaller {

  private OnCaller() {}

  static <T> Future<T> future(CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
  }
}

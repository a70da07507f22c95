package dev.swarmcdn.peer.scheduler;

/** Whether a running peer transfer goes on: {@link Scheduler#checkTransfer}. */
public enum TransferVerdict {
  OK, LATE, STALLED, SLOW
}

package io.pathway.service.intake;

/** One part of the start-up warm-up. Writes nothing that is kept; a failure is logged and ends only this step. */
interface WarmUpStep {

  /** What the count of {@link #run()} counts, for the log line. */
  String counts();

  /** Warms its part; returns how many things it warmed. */
  int run();
}

/**
 * Backprop SDK on Apache Spark: {@link dev.backprop.spark.SparkBackend} runs sweeps (one task per trial)
 * and synchronous data-parallel training (one barrier stage whose tasks exchange gradient sums every
 * step). Optional: nothing else in the SDK depends on this package. See {@code docs/distributed.md}.
 */
package dev.backprop.spark;

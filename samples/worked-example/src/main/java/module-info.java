/** Prints seed 001's worked example as computed by the SDK, beside the note's printed values. */
module dev.backprop.samples.workedexample {
    requires dev.backprop.core;
}

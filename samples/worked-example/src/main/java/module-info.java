/** Prints the worked example of docs/derivation.md §10 as computed by the SDK, beside its usually printed values. */
module dev.backprop.samples.workedexample {
    requires dev.backprop.core;
}

package dev.backprop.core.linalg;

/** Run in a fresh JVM by {@link KernelPathsTest}: prints which kernels that JVM chose. */
public final class KernelProbe {
    private KernelProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        System.out.println("kernels: " + Kernels.implementation());
    }
}

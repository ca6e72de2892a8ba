package dev.backprop.plugins.initializers;

import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws every weight independently from a zero-mean uniform or normal distribution whose spread depends
 * on the scheme; biases start at 0.
 * <ul>
 *   <li>{@code uniform}: {@code U(-range, range)}.</li>
 *   <li>{@code xavier-uniform} (Glorot and Bengio 2010): {@code U(-a, a)} with
 *       {@code a = sqrt(6 / (fanIn + fanOut))}, variance {@code 2 / (fanIn + fanOut)}.</li>
 *   <li>{@code xavier-normal}: {@code N(0, 2 / (fanIn + fanOut))}.</li>
 *   <li>{@code he-uniform} (He et al. 2015): {@code U(-a, a)} with {@code a = sqrt(6 / fanIn)}, variance
 *       {@code 2 / fanIn}.</li>
 *   <li>{@code he-normal}: {@code N(0, 2 / fanIn)}.</li>
 * </ul>
 * Normal draws are not truncated.
 */
public final class RandomInitializer implements WeightInitializer {

    /** How the spread is chosen. */
    public enum Scheme {
        /** {@code U(-range, range)}. */
        UNIFORM,
        /** Glorot uniform. */
        XAVIER_UNIFORM,
        /** Glorot normal. */
        XAVIER_NORMAL,
        /** He uniform. */
        HE_UNIFORM,
        /** He normal. */
        HE_NORMAL
    }

    private final Scheme scheme;
    private final double range;

    /**
     * @param scheme the scheme
     * @param range the half-width for {@link Scheme#UNIFORM}; ignored otherwise
     */
    public RandomInitializer(Scheme scheme, double range) {
        this.scheme = scheme;
        this.range = range;
    }

    @Override
    public void initialize(double[] weights, double[] bias, int fanIn, int fanOut, RandomGenerator random) {
        int n = fanIn * fanOut;
        switch (scheme) {
            case UNIFORM -> uniform(weights, n, range, random);
            case XAVIER_UNIFORM -> uniform(weights, n, Math.sqrt(6.0 / (fanIn + fanOut)), random);
            case XAVIER_NORMAL -> normal(weights, n, Math.sqrt(2.0 / (fanIn + fanOut)), random);
            case HE_UNIFORM -> uniform(weights, n, Math.sqrt(6.0 / fanIn), random);
            case HE_NORMAL -> normal(weights, n, Math.sqrt(2.0 / fanIn), random);
        }
        if (bias != null) {
            Arrays.fill(bias, 0, fanOut, 0.0);
        }
    }

    private static void uniform(double[] weights, int n, double bound, RandomGenerator random) {
        for (int i = 0; i < n; i++) {
            weights[i] = (2.0 * random.nextDouble() - 1.0) * bound;
        }
    }

    private static void normal(double[] weights, int n, double std, RandomGenerator random) {
        for (int i = 0; i < n; i++) {
            weights[i] = random.nextGaussian() * std;
        }
    }

    /** Shared provider body: a name, a description and a scheme without parameters. */
    abstract static class SchemeProvider implements WeightInitializerProvider {
        private final String name;
        private final String description;
        private final Scheme scheme;

        SchemeProvider(String name, String description, Scheme scheme) {
            this.name = name;
            this.description = description;
            this.scheme = scheme;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public WeightInitializer create(PluginParameters parameters) {
            return new RandomInitializer(scheme, 0);
        }
    }

    /** Provides {@code uniform}. */
    public static final class UniformProvider extends SchemeProvider {
        /** Creates the provider. */
        public UniformProvider() {
            super("uniform", "weights from U(-range, range), bias 0", Scheme.UNIFORM);
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.number("range", 0.5, "half-width of the interval").positive());
        }

        @Override
        public WeightInitializer create(PluginParameters parameters) {
            return new RandomInitializer(Scheme.UNIFORM, parameters.getDouble("range"));
        }
    }

    /** Provides {@code xavier-uniform}. */
    public static final class XavierUniformProvider extends SchemeProvider {
        /** Creates the provider. */
        public XavierUniformProvider() {
            super("xavier-uniform", "Glorot: U(-a, a), a = sqrt(6/(fanIn+fanOut)), bias 0", Scheme.XAVIER_UNIFORM);
        }
    }

    /** Provides {@code xavier-normal}. */
    public static final class XavierNormalProvider extends SchemeProvider {
        /** Creates the provider. */
        public XavierNormalProvider() {
            super("xavier-normal", "Glorot: N(0, 2/(fanIn+fanOut)), bias 0", Scheme.XAVIER_NORMAL);
        }
    }

    /** Provides {@code he-uniform}. */
    public static final class HeUniformProvider extends SchemeProvider {
        /** Creates the provider. */
        public HeUniformProvider() {
            super("he-uniform", "He: U(-a, a), a = sqrt(6/fanIn), bias 0", Scheme.HE_UNIFORM);
        }
    }

    /** Provides {@code he-normal}. */
    public static final class HeNormalProvider extends SchemeProvider {
        /** Creates the provider. */
        public HeNormalProvider() {
            super("he-normal", "He: N(0, 2/fanIn), bias 0", Scheme.HE_NORMAL);
        }
    }
}

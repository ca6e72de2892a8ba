package dev.backprop.plugins.initializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InitializersTest {

    private static WeightInitializer create(String name, Map<String, ?> parameters) {
        return ServiceLoader.load(WeightInitializerProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow().create(parameters);
    }

    @Test
    void serviceFileListsEveryInitializer() {
        assertThat(ServiceLoader.load(WeightInitializerProvider.class).stream().map(p -> p.get().name()))
                .containsExactlyInAnyOrder("uniform", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal", "zeros",
                        "constant", "explicit");
    }

    /** Mean, variance and bound of 200 x 300 = 60,000 draws against what each scheme claims. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, expected variance, bound (0 = unbounded)
        "xavier-uniform, 0.004, 0.10954451150103323",
        "xavier-normal, 0.004, 0",
        "he-uniform, 0.01, 0.17320508075688773",
        "he-normal, 0.01, 0"})
    void statisticsMatchTheScheme(String name, double variance, double bound) {
        int fanIn = 200;
        int fanOut = 300;
        double[] w = new double[fanIn * fanOut];
        double[] b = new double[fanOut];
        java.util.Arrays.fill(b, 7);
        create(name, Map.of()).initialize(w, b, fanIn, fanOut, new SplittableRandom(1));
        double mean = 0;
        for (double v : w) {
            mean += v;
        }
        mean /= w.length;
        double var = 0;
        for (double v : w) {
            var += (v - mean) * (v - mean);
        }
        var /= w.length;
        assertThat(mean).isCloseTo(0, within(4 * Math.sqrt(variance / w.length)));
        assertThat(var).isCloseTo(variance, within(variance * 0.03));
        if (bound > 0) {
            assertThat(maxAbs(w)).isLessThanOrEqualTo(bound);
        }
        assertThat(b).containsOnly(0.0);
    }

    private static double maxAbs(double[] values) {
        return java.util.Arrays.stream(values).map(Math::abs).max().orElseThrow();
    }

    @Test
    void sameSeedSameWeights() {
        double[] a = new double[50];
        double[] b = new double[50];
        create("xavier-normal", Map.of()).initialize(a, null, 5, 10, new SplittableRandom(9));
        create("xavier-normal", Map.of()).initialize(b, null, 5, 10, new SplittableRandom(9));
        assertThat(a).isEqualTo(b).isNotEqualTo(new double[50]);
    }

    @Test
    void uniformRespectsItsRange() {
        double[] w = new double[1000];
        create("uniform", Map.of("range", 0.01)).initialize(w, null, 10, 100, new SplittableRandom(2));
        assertThat(maxAbs(w)).isLessThanOrEqualTo(0.01).isGreaterThan(0.009);
    }

    @Test
    void constantAndZeros() {
        double[] w = new double[6];
        double[] b = new double[3];
        create("constant", Map.of("value", 0.25, "bias", -1)).initialize(w, b, 2, 3, new SplittableRandom(0));
        assertThat(w).containsOnly(0.25);
        assertThat(b).containsOnly(-1.0);
        create("zeros", Map.of()).initialize(w, b, 2, 3, new SplittableRandom(0));
        assertThat(w).containsOnly(0.0);
        assertThat(b).containsOnly(0.0);
    }

    @Test
    void explicitCopiesRowsAsOutputUnits() {
        double[] w = new double[6];
        double[] b = new double[3];
        create("explicit", Map.of("weights", List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6)), "bias", List.of(7, 8, 9)))
                .initialize(w, b, 2, 3, new SplittableRandom(0));
        assertThat(w).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(b).containsExactly(7, 8, 9);
    }

    @Test
    void explicitShapeErrorsSayWhatTheLayerNeeds() {
        WeightInitializer twoByTwo = create("explicit", Map.of("weights", List.of(List.of(1, 2), List.of(3, 4))));
        assertThatThrownBy(() -> twoByTwo.initialize(new double[6], null, 2, 3, new SplittableRandom(0)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessageContaining("2 x 2").hasMessageContaining("needs 3 x 2");
        WeightInitializer withBias = create("explicit", Map.of("weights", List.of(List.of(1, 2)), "bias", List.of(1)));
        assertThatThrownBy(() -> withBias.initialize(new double[2], null, 2, 1, new SplittableRandom(0)))
                .hasMessageContaining("the layer has no bias");
        WeightInitializer shortBias = create("explicit", Map.of("weights", List.of(List.of(1, 2)), "bias", List.of(1, 2)));
        assertThatThrownBy(() -> shortBias.initialize(new double[2], new double[1], 2, 1, new SplittableRandom(0)))
                .hasMessageContaining("bias has 2 values but the layer has 1 outputs");
        assertThatThrownBy(() -> create("explicit", Map.of())).hasMessageContaining("requires parameter 'weights'");
    }
}

package dev.backprop.core.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackpropModuleTest {

    @Test
    void injectorProvidesTheSdkAndOneMapPerPluginKind() {
        PluginRegistry registry = PluginRegistry.discover();
        Injector injector = Guice.createInjector(new BackpropModule(registry));

        Backprop backprop = injector.getInstance(Backprop.class);
        assertThat(backprop.plugins()).isSameAs(registry);
        assertThat(injector.getInstance(Backprop.class)).isSameAs(backprop);

        Map<String, ActivationProvider> activations = injector.getInstance(Key.get(new TypeLiteral<Map<String, ActivationProvider>>() { }));
        assertThat(activations.keySet()).containsExactlyInAnyOrderElementsOf(registry.names(dev.backprop.api.PluginKind.ACTIVATION));
        Map<String, OptimizerProvider> optimizers = injector.getInstance(Key.get(new TypeLiteral<Map<String, OptimizerProvider>>() { }));
        assertThat(optimizers).containsKeys("sgd", "adam");

        Network network = backprop.network(2).dense(2).activation("relu").dense(1).build();
        assertThat(network.predict(new double[] {1, 2})).hasSize(1);
    }
}

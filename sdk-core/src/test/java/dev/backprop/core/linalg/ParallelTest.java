package dev.backprop.core.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The split of a range across the shared crew: every unit once, failures reported, the crew bounded. */
class ParallelTest {
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @Test
    @Timeout(600) // a hang detector only
    void everyUnitRunsExactlyOnceWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 3, 8, 5000}) {
            Parallel.Dispatcher dispatcher = Parallel.of(threads).dispatcher();
            for (int n : new int[] {1, 2, 7, 1000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                dispatcher.forRange(n, 1L << 20, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        runs.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertThat(runs.get(i)).as("%d threads, unit %d of %d", threads, i, n).isEqualTo(1);
                }
            }
        }
    }

    @Test
    @Timeout(600) // a hang detector only
    void aThreadCountAboveTheProcessorsUsesTheProcessorsAndTheCrewStaysBounded() {
        assertThat(Parallel.of(5000).threads()).isEqualTo(PROCESSORS);
        assertThat(Parallel.of(1).threads()).isEqualTo(1);
        for (int threads = 2; threads <= 64; threads++) {
            Parallel.of(threads).dispatcher().forRange(1000, 1L << 20, (from, to) -> { });
        }
        long helpers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("backprop-kernels-")).count();
        assertThat(helpers).isLessThanOrEqualTo(PROCESSORS - 1);
    }

    @Test
    @Timeout(600) // a hang detector only
    void aFailureOnAHelperReachesTheCallerAndTheCrewWorksAfterwards() {
        Parallel.Dispatcher dispatcher = Parallel.of(PROCESSORS).dispatcher();
        if (PROCESSORS < 2) {
            return; // no helper to fail on
        }
        assertThatThrownBy(() -> dispatcher.forRange(1000, 1L << 20, (from, to) -> {
            if (from > 0) {
                throw new IllegalStateException("helper fails on purpose");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("helper fails on purpose");
        assertThatThrownBy(() -> dispatcher.forRange(1000, 1L << 20, (from, to) -> {
            if (from > 0) {
                throw new StackOverflowError("deep");
            }
        })).isInstanceOf(StackOverflowError.class);
        assertThatThrownBy(() -> dispatcher.forRange(1000, 1L << 20, (from, to) -> {
            if (from > 0) {
                sneakyThrow(new java.io.IOException("checked, thrown sneakily"));
            }
        })).isInstanceOf(java.lang.reflect.UndeclaredThrowableException.class).hasRootCauseMessage("checked, thrown sneakily");
        AtomicIntegerArray runs = new AtomicIntegerArray(1000);
        dispatcher.forRange(1000, 1L << 20, (from, to) -> {
            for (int i = from; i < to; i++) {
                runs.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 1000; i++) {
            assertThat(runs.get(i)).isEqualTo(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}

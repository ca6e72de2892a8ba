package dev.backprop.samples.workedexample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.core.Backprop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkedExampleTest {

    @Test
    void everyQuantityAgreesWithTheNoteWithinItsRounding() {
        List<WorkedExample.Row> rows = WorkedExample.compute(Backprop.create());
        assertThat(rows).hasSize(13);
        for (WorkedExample.Row row : rows) {
            // The note rounds to 2-4 digits; 0.69 and 0.68 are given to two.
            double tolerance = row.note() == 0.69 || row.note() == 0.68 ? 5e-3 : 5e-4;
            assertThat(Math.abs(row.sdk() - row.note())).as(row.quantity()).isLessThan(tolerance);
        }
        StringWriter text = new StringWriter();
        WorkedExample.print(rows, new PrintWriter(text));
        assertThat(text.toString()).contains("y5 (second output)", "0.68201858326429", "delta5", "-0.04068112511233");
    }
}

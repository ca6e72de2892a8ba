package dev.backprop.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import dev.backprop.core.experiment.ExperimentRunner;

/**
 * Lets through only events logged while a run is active (the MDC holds its run directory), so that the
 * per-run {@code run.log} never gets a file outside a run directory.
 */
public final class RunLogFilter extends Filter<ILoggingEvent> {

    /** Created by Logback from {@code logback.xml}. */
    public RunLogFilter() {
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getMDCPropertyMap().containsKey(ExperimentRunner.RUN_DIRECTORY_MDC_KEY) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}

package io.migratekit.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing dependency at start-up into one clear paragraph instead of a stack trace. */
public class DependencyUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<DependencyUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DependencyUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start " + cause.dependency() + " or point the service at it with " + cause.setting() + ".", cause);
    }
}

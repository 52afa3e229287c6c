package io.migratekit.intake;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an integration test of the running job-intake uses: the {@link IntakeStack}, the test's own
 * side of the broker ({@link PlayedPipeline}), an HTTP client and the read-model writer. One per
 * test class, registered as an extension ({@code @RegisterExtension static final IntakeFixture}):
 * after the class it closes the class's broker clients, never the shared stack.
 */
final class IntakeFixture implements AfterAllCallback {

    final IntakeStack stack;
    final PlayedPipeline pipeline;
    final Http http;
    final ReadModelRows rows;

    private IntakeFixture() {
        stack = IntakeStack.get();
        pipeline = new PlayedPipeline(stack.infra.bootstrapServers(), stack.registry);
        http = new Http(stack.baseUrl);
        rows = new ReadModelRows(stack.db);
    }

    static IntakeFixture open() {
        return new IntakeFixture();
    }

    /** Lets time pass (a race's other side acts meanwhile). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        pipeline.close();
    }
}

package io.migratekit.intake;

import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.intake.callback.CallbackListenerConfiguration;
import io.migratekit.platform.BearerTokens;
import io.migratekit.schemas.RegistrySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One running job-intake per test JVM, started the way the standalone launcher starts it
 * ({@code new SpringApplicationBuilder(JobIntakeApplication.class).properties(...)}), against the
 * real broker, registry and a fresh migrated PostgreSQL database of {@link SharedTestInfrastructure}.
 * Error timestamps come from a fixed clock so answers can be compared whole.
 */
final class IntakeStack {

    static final Instant NOW = Instant.parse("2025-09-23T10:15:30.123Z");
    static final String OPERATOR_TOKEN = "operator-token-for-tests";
    static final String READ_ONLY_TOKEN = "read-only-token-for-tests";
    static final String VMA_TOKEN = "vma-token-for-tests";
    static final String MANAGEMENT_TOKEN = "management-token-for-tests";
    /** How long a change-id callback waits here for a job it does not know yet (the default). */
    static final Duration CHANGE_ID_JOB_WAIT = Duration.ofSeconds(15);
    /**
     * The only source the callback listener accepts here: a loopback address the test's own HTTP
     * client never uses (it connects from 127.0.0.1), so the test can call from inside and outside.
     */
    static final String CALLBACK_SOURCE = "127.0.0.2";
    /** Job event streams open at once here. */
    static final int MAX_EVENT_STREAMS = 3;
    /** Job events the console's stream keeps for clients that reconnect. */
    static final int CONSOLE_EVENT_MEMORY = 4;

    private static IntakeStack instance;

    final SharedTestInfrastructure infra;
    final RegistrySettings registry;
    final DSLContext db;
    final ConfigurableApplicationContext app;
    final String baseUrl;
    /** The callback listener, for the copy engine's callbacks without a token. */
    final String callbackUrl;

    private IntakeStack() {
        infra = SharedTestInfrastructure.get();
        registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        String jdbcUrl = infra.newDatabase("job_intake");
        DataSource dataSource = dataSource(jdbcUrl);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        db = DSL.using(dataSource, SQLDialect.POSTGRES);
        app = new SpringApplicationBuilder(JobIntakeApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("clock",
                        Clock.fixed(NOW, ZoneOffset.UTC)))
                .run(arguments(Map.ofEntries(
                        Map.entry("server.port", "0"),
                        Map.entry("spring.kafka.bootstrap-servers", infra.bootstrapServers()),
                        Map.entry("migratekit.registry.url", infra.registryBaseUrl()),
                        Map.entry("spring.datasource.url", jdbcUrl),
                        Map.entry("spring.datasource.username", infra.postgres().username()),
                        Map.entry("spring.datasource.password", infra.postgres().password()),
                        Map.entry("migratekit.intake.outcome-timeout", "20s"),
                        Map.entry("migratekit.intake.change-id-job-wait", CHANGE_ID_JOB_WAIT.toSeconds() + "s"),
                        Map.entry("migratekit.intake.max-event-streams", String.valueOf(MAX_EVENT_STREAMS)),
                        Map.entry("migratekit.intake.event-stream-job-wait", "10s"),
                        Map.entry("migratekit.intake.console-event-memory", String.valueOf(CONSOLE_EVENT_MEMORY)),
                        Map.entry("migratekit.intake.event-stream-heartbeat", "500ms"),
                        Map.entry("migratekit.security.tokens[0].name", "operator-tests"),
                        Map.entry("migratekit.security.tokens[0].sha256", sha256(OPERATOR_TOKEN)),
                        Map.entry("migratekit.security.tokens[0].role", "operator"),
                        Map.entry("migratekit.security.tokens[1].name", "viewer-tests"),
                        Map.entry("migratekit.security.tokens[1].sha256", sha256(READ_ONLY_TOKEN)),
                        Map.entry("migratekit.security.tokens[1].role", "read-only"),
                        Map.entry("migratekit.security.tokens[2].name", "vma-tests"),
                        Map.entry("migratekit.security.tokens[2].sha256", sha256(VMA_TOKEN)),
                        Map.entry("migratekit.security.tokens[2].role", "vma"),
                        Map.entry("migratekit.management.token-sha256", sha256(MANAGEMENT_TOKEN)),
                        Map.entry("migratekit.intake.callback-listener.port", "0"),
                        Map.entry("migratekit.intake.callback-listener.allowed-sources[0]", CALLBACK_SOURCE + "/32"))));
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        baseUrl = "http://127.0.0.1:" + port;
        callbackUrl = "http://127.0.0.1:" + app.getBean(CallbackListenerConfiguration.CallbackListener.class).port();
    }

    static synchronized IntakeStack get() {
        if (instance == null) {
            instance = new IntakeStack();
        }
        return instance;
    }

    /**
     * As command-line arguments: {@code SpringApplicationBuilder.properties(...)} are default
     * properties, below every property file (the platform defaults included).
     */
    private static String[] arguments(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    static String sha256(String token) {
        return HexFormat.of().formatHex(BearerTokens.sha256(token));
    }

    private DataSource dataSource(String jdbcUrl) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(infra.postgres().username());
        dataSource.setPassword(infra.postgres().password());
        return dataSource;
    }
}

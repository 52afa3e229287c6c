package io.migratekit.intake;

import io.migratekit.intake.api.ErrorResponses;
import io.migratekit.intake.auth.AuthInterceptor;
import io.migratekit.intake.auth.SecurityProperties;
import io.migratekit.intake.auth.StreamTickets;
import io.migratekit.intake.console.ConsoleHeaders;
import io.migratekit.intake.events.ConsoleEvents;
import io.migratekit.intake.auth.TokenAuthenticator;
import io.migratekit.intake.changeid.ChangeIdCallbacks;
import io.migratekit.intake.changeid.ChangeIdPublisher;
import io.migratekit.intake.events.JobDirectory;
import io.migratekit.intake.events.JobEventStreams;
import io.migratekit.intake.events.LiveJobEvents;
import io.migratekit.intake.events.PastJobEvents;
import io.migratekit.intake.failover.FailoverResponses;
import io.migratekit.intake.outcome.OutcomeResponses;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.request.FailoverRequestValidator;
import io.migratekit.intake.request.ScheduleRequestValidator;
import io.migratekit.intake.request.ReplicationRequestValidator;
import io.migratekit.intake.request.RequestBodyReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web side of job-intake: authentication, validation, the answers, the change-id callbacks,
 * the job event streams (one per job, and the console's of every job with its stream tickets), the
 * console's static files with their security headers, and the OpenAPI description. Needs a {@link io.migratekit.intake.outcome.RequestPipeline}, a
 * {@link ChangeIdPublisher}, a {@link ReadModel}, {@link LiveJobEvents}, {@link PastJobEvents}, a {@link io.migratekit.intake.failover.FailoverCommands}
 * and a {@link io.migratekit.intake.readmodel.FailoverReadModel} (see {@link IntakePipelineConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({IntakeProperties.class, SecurityProperties.class, CloudStackTargetIds.class})
public class IntakeWebConfiguration {

    /** The console's files (plain HTML, CSS and ES modules; served under {@link ConsoleHeaders#ASSETS}). */
    private static final String CONSOLE_LOCATION = "classpath:/io/migratekit/intake/console/";

    /** Margin of Spring's own async timeout over the outcome wait, which always ends first. */
    private static final Duration ASYNC_MARGIN = Duration.ofSeconds(30);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ErrorResponses errorResponses(Clock clock) {
        return new ErrorResponses(clock);
    }

    @Bean
    OutcomeResponses outcomeResponses(ErrorResponses errors) {
        return new OutcomeResponses(errors);
    }

    @Bean
    ReplicationRequestValidator replicationRequestValidator(CloudStackTargetIds targets) {
        return new ReplicationRequestValidator(targets.acceptedIds());
    }

    @Bean
    FailoverRequestValidator failoverRequestValidator() {
        return new FailoverRequestValidator();
    }

    @Bean
    ScheduleRequestValidator scheduleRequestValidator() {
        return new ScheduleRequestValidator();
    }

    @Bean
    FailoverResponses failoverResponses(ErrorResponses errors) {
        return new FailoverResponses(errors);
    }

    @Bean
    RequestBodyReader requestBodyReader(IntakeProperties properties) {
        return new RequestBodyReader(properties.getMaxBodyBytes());
    }

    @Bean
    TokenAuthenticator tokenAuthenticator(SecurityProperties security) {
        return TokenAuthenticator.fromConfiguration(security.apiTokens());
    }

    @Bean
    ChangeIdCallbacks changeIdCallbacks(ReadModel readModel, JobDirectory jobs, ChangeIdPublisher publisher,
            IntakeProperties properties, Clock clock) {
        return new ChangeIdCallbacks(readModel, jobs, properties.getChangeIdJobWait(), publisher, clock);
    }

    /** The threads that write job events to the stream clients (never the feed's listener thread). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService jobEventSenders(IntakeProperties properties) {
        AtomicInteger number = new AtomicInteger();
        return Executors.newFixedThreadPool(properties.getEventSenderThreads(), task -> {
            Thread thread = new Thread(task, "job-event-sender-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    JobDirectory jobDirectory(LiveJobEvents feed, ReadModel readModel) {
        return new JobDirectory(feed, readModel);
    }

    @Bean
    ConsoleEvents consoleEvents(LiveJobEvents feed, IntakeProperties properties, Clock clock) {
        return new ConsoleEvents(feed, properties.getConsoleEventMemory(), clock);
    }

    @Bean
    StreamTickets streamTickets(IntakeProperties properties, Clock clock) {
        return new StreamTickets(clock, properties.getStreamTicketTtl(), properties.getMaxEventStreams());
    }

    @Bean
    JobEventStreams jobEventStreams(JobDirectory jobs, LiveJobEvents feed, PastJobEvents replay,
            ExecutorService jobEventSenders, IntakeProperties properties) {
        return new JobEventStreams(jobs, feed, replay, jobEventSenders, new JobEventStreams.Settings(
                properties.getMaxEventStreams(), properties.getEventStreamTimeout(),
                properties.getEventStreamJobWait(), properties.getEventStreamBuffer(),
                properties.getEventStreamHeartbeat()));
    }

    /** Heartbeats the quiet event streams, so a client that went away frees its slot. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService jobEventHeartbeats(JobEventStreams streams, IntakeProperties properties) {
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "job-event-heartbeats");
            thread.setDaemon(true);
            return thread;
        });
        long period = properties.getEventStreamHeartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(streams::heartbeat, period, period, TimeUnit.MILLISECONDS);
        return heartbeats;
    }

    @Bean
    MeterBinder openEventStreamsGauge(JobEventStreams streams) {
        return registry -> Gauge.builder("migratekit.intake.event.streams", streams, JobEventStreams::openStreams)
                .description("Job event streams open").register(registry);
    }

    @Bean
    IntakeMetrics intakeMetrics(MeterRegistry registry) {
        return new IntakeMetrics(registry);
    }

    @Bean
    WebMvcConfigurer intakeWebMvcConfigurer(TokenAuthenticator authenticator, StreamTickets tickets,
            IntakeProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AuthInterceptor(authenticator, tickets)).addPathPatterns("/api/**");
            }

            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                registry.addResourceHandler(ConsoleHeaders.ASSETS + "**").addResourceLocations(CONSOLE_LOCATION);
            }

            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addViewController("/").setViewName("forward:" + ConsoleHeaders.ASSETS + "index.html");
            }

            @Override
            public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
                configurer.setDefaultTimeout(properties.getOutcomeTimeout().plus(ASYNC_MARGIN).toMillis());
            }
        };
    }

    /** The console's security headers (Content-Security-Policy and friends) on {@code /} and its files. */
    @Bean
    FilterRegistrationBean<ConsoleHeaders> consoleHeaders() {
        FilterRegistrationBean<ConsoleHeaders> registration = new FilterRegistrationBean<>(new ConsoleHeaders());
        registration.addUrlPatterns("/", ConsoleHeaders.ASSETS + "*");
        return registration;
    }

    @Bean
    OpenAPI intakeOpenApi() {
        return new OpenAPI()
                .info(new Info().title("MigrateKit job-intake API").version("v1")
                        .description("Replication requests, their outcomes, failovers, the read model and the VMA change-id callbacks."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer snakeCaseSchemas() {
        return new SnakeCaseSchemas();
    }
}

package io.migratekit.intake.callback;

import io.migratekit.intake.api.ErrorResponses;
import io.migratekit.intake.auth.TokenAuthenticator;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The callback listener, when {@code migratekit.intake.callback-listener.port} is set: a second
 * connector of job-intake's web server, bound to the address the VMA's tunnel reaches, behind the
 * {@link CallbackListenerFilter}. The API port and its authentication are unchanged.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CallbackListenerProperties.class)
@ConditionalOnProperty(prefix = "migratekit.intake.callback-listener", name = "port")
public class CallbackListenerConfiguration {

    @Bean
    CallbackListener callbackListener(CallbackListenerProperties properties) {
        return CallbackListener.of(properties);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> callbackConnector(CallbackListener listener) {
        return factory -> factory.addAdditionalConnectors(listener.connector());
    }

    @Bean
    FilterRegistrationBean<CallbackListenerFilter> callbackListenerFilter(CallbackListener listener,
            TokenAuthenticator authenticator, ErrorResponses errors) {
        FilterRegistrationBean<CallbackListenerFilter> registration = new FilterRegistrationBean<>(
                new CallbackListenerFilter(listener::port, listener.sources(), authenticator, errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The listener's connector and who may call it. */
    public record CallbackListener(Connector connector, SourceAddresses sources) {

        static CallbackListener of(CallbackListenerProperties properties) {
            int port = properties.getPort();
            if (port < 0 || port > 65_535) {
                throw new IllegalStateException("migratekit.intake.callback-listener.port must be 0-65535, not " + port);
            }
            SourceAddresses sources = SourceAddresses.parse(properties.getAllowedSources());
            if (sources.isEmpty()) {
                throw new IllegalStateException("The callback listener accepts callbacks only from configured sources, "
                        + "and none is configured: set MIGRATEKIT_INTAKE_CALLBACK_LISTENER_ALLOWED_SOURCES_0 (an address "
                        + "or CIDR block of the VMA tunnel's end)");
            }
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", properties.getAddress());
            return new CallbackListener(connector, sources);
        }

        /** The port it listens on (the chosen one when configured as 0); -1 before the server started. */
        public int port() {
            return connector.getLocalPort();
        }
    }
}

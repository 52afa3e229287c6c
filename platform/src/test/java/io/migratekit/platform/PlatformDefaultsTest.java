package io.migratekit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.platform.fixture.FixtureApplication;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Platform defaults < the service's own defaults < anything the service is given. */
class PlatformDefaultsTest {

    @Test
    void theServiceDefaultsOverrideThePlatformAndTheLauncherOverridesBoth() {
        // given: a launcher passed a port through SpringApplicationBuilder.properties(...)
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new DefaultPropertiesPropertySource(Map.of("server.port", "0")));

        // when
        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication(FixtureApplication.class));

        // then
        assertThat(environment.getProperty("server.port")).isEqualTo("0");
        assertThat(environment.getProperty("migratekit.service-name")).isEqualTo("fixture-service");
        assertThat(environment.getProperty("spring.kafka.producer.acks")).isEqualTo("1");
        assertThat(environment.getProperty("spring.kafka.consumer.isolation-level")).isEqualTo("read_committed");
        assertThat(environment.getProperty("spring.kafka.client-id")).isEqualTo("fixture-service");
    }

    @Test
    void theEnvironmentOutranksEveryDefault() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("env",
                Map.of("server.port", "9999", "spring.kafka.producer.acks", "all")));

        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication(FixtureApplication.class));

        assertThat(environment.getProperty("server.port")).isEqualTo("9999");
        assertThat(environment.getProperty("spring.kafka.producer.acks")).isEqualTo("all");
    }

    @Test
    void anotherApplicationGetsOnlyThePlatformDefaults() {
        StandardEnvironment environment = new StandardEnvironment();

        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication(Object.class));

        assertThat(environment.getProperty("server.port")).isNull();
        assertThat(environment.getProperty("migratekit.service-name")).isNull();
        assertThat(environment.getProperty("spring.kafka.producer.acks")).isEqualTo("all");
    }
}

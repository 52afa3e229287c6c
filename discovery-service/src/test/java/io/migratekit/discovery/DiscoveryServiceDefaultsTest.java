package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class DiscoveryServiceDefaultsTest {

    @Test
    void theServiceDefaultsApplyBeneathWhatTheLauncherPassed() {
        // given: a launcher passed a port and a deadline as SpringApplicationBuilder properties
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new DefaultPropertiesPropertySource(
                Map.of("server.port", "0", "migratekit.vma.discovery-timeout", "2s")));

        // when
        new io.migratekit.platform.PlatformDefaults().postProcessEnvironment(environment,
                new SpringApplication(DiscoveryServiceApplication.class));

        // then
        assertThat(environment.getProperty("server.port")).isEqualTo("0");
        assertThat(environment.getProperty("migratekit.vma.discovery-timeout")).isEqualTo("2s");
        assertThat(environment.getProperty("migratekit.service-name")).isEqualTo("discovery-service");
        assertThat(environment.getProperty("migratekit.discovery.max-in-flight")).isEqualTo("64");
        assertThat(environment.getProperty("migratekit.discovery.max-names-per-call")).isEqualTo("50");
    }

    @Test
    void theEnvironmentOutranksTheServiceDefaults() {
        // given
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("env", Map.of("server.port", "9083")));

        // when
        new io.migratekit.platform.PlatformDefaults().postProcessEnvironment(environment,
                new SpringApplication(DiscoveryServiceApplication.class));

        // then
        assertThat(environment.getProperty("server.port")).isEqualTo("9083");
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("discovery-service");
    }

    @Test
    void otherApplicationsInTheSameJvmAreLeftAlone() {
        // given
        StandardEnvironment environment = new StandardEnvironment();

        // when
        new io.migratekit.platform.PlatformDefaults().postProcessEnvironment(environment, new SpringApplication(Object.class));

        // then: only the platform's shared defaults, none of discovery-service's
        assertThat(environment.getProperty("server.port")).isNull();
        assertThat(environment.getProperty("migratekit.discovery.max-in-flight")).isNull();
        assertThat(environment.getProperty("spring.kafka.producer.acks")).isEqualTo("all");
    }
}
